//! Routes: paper ballots counted at a report's session (for those who rated on paper) — one
//! member of staff proposes the tally, another approves it (maker-checker); a tally may not
//! count more ballots than the session could have had.

use super::scope::kept;
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::reports::store::{ratings, tallies};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TallyCreate {
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub unsatisfied: i32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TallyView {
    pub id: i64,
    pub report_id: i64,
    pub satisfied: i32,
    pub basically_satisfied: i32,
    pub unsatisfied: i32,
    /// proposed or approved.
    pub status: String,
}

fn view(t: tallies::TallyRow) -> TallyView {
    TallyView { id: t.0, report_id: t.1, satisfied: t.2, basically_satisfied: t.3, unsatisfied: t.4, status: t.5 }
}

/// How many paper ballots the session allows: the electoral unit's registered representatives
/// and those present (who rated on their phones) — 422 `too_many_ballots` beyond, counting the
/// approved tallies too.
fn within_cap(c: &mut db::AnyConnection, report: i64, representatives: i32, adding: i64) -> AppResult<()> {
    let present: i64 = ratings::counts(c, report)?.iter().map(|x| x.1).sum();
    let cap = i64::from(representatives) + present;
    let counted: i64 = tallies::approved_counts(c, report)?.iter().map(|x| x.1).sum();
    if counted + adding > cap {
        return Err(AppError::invalid_field(
            "satisfied",
            "too_many_ballots",
            format!("at most {cap} ballots: the registered representatives and those present"),
        ));
    }
    Ok(())
}

/// Propose a tally of paper ballots (staff in scope, once the session is approved).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), request_body = TallyCreate, responses((status = 201, body = TallyView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/{id}/tallies")]
pub async fn propose(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<TallyCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    if [b.satisfied, b.basically_satisfied, b.unsatisfied].iter().any(|n| !(0..=10_000).contains(n)) {
        return Err(AppError::invalid_field("satisfied", "out_of_range", "each count 0–10000"));
    }
    let (id, now) = (id.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        if !matches!(r.status.as_str(), "approved" | "delivered") {
            return Err(AppError::conflict(Code::ReviewClosed, "paper ballots are counted for a report's session"));
        }
        within_cap(c, id, r.representatives, i64::from(b.satisfied + b.basically_satisfied + b.unsatisfied))?;
        let t = tallies::insert(c, id, (b.satisfied, b.basically_satisfied, b.unsatisfied), p.account_id, now)?;
        Entry::by(&p, "duty_report.tally", "duty_report", id.to_string()).region(Some(r.region_path)).write(c, now)?;
        tallies::get(c, id, t)?.map(view).ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Approve a proposed tally (staff in scope other than its proposer: 403 `maker_checker`).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path), ("tally_id" = i64, Path)), responses((status = 200, body = TallyView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/{id}/tallies/{tally_id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i64)>,
) -> AppResult<web::Json<TallyView>> {
    let ((id, tally), now) = (path.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        let t = tallies::get(c, id, tally)?.ok_or_else(AppError::not_found)?;
        if t.6 == p.account_id {
            return Err(AppError::forbidden(Code::MakerChecker, "another member of staff approves a tally"));
        }
        if t.5 != "proposed" {
            return Err(AppError::conflict(Code::AlreadyDecided, "this tally is approved already"));
        }
        within_cap(c, id, r.representatives, i64::from(t.2 + t.3 + t.4))?;
        if !tallies::approve(c, tally, p.account_id, now)? {
            return Err(AppError::conflict(Code::AlreadyDecided, "this tally is approved already"));
        }
        Entry::by(&p, "duty_report.tally_approve", "duty_report", id.to_string())
            .region(Some(r.region_path))
            .write(c, now)?;
        tallies::get(c, id, tally)?.map(view).ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(web::Json(v))
}
