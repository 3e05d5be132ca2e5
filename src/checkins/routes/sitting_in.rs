//! Routes: sitting in (列席) — the congress's deputies take turns to sit in on its standing
//! committee's meetings (events of kind `sitting_in`), once in the term; staff see how far the
//! term has come and whom to invite next.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::checkins::rules::rotation::rotation;
use crate::checkins::store::sitting_in as store;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::http::Rate;
use crate::state::AppState;
use actix_web::{get, web};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct NextQuery {
    /// The congress (a region).
    pub region_id: i64,
    /// How many to suggest (1–1000, default 10).
    pub n: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NextDeputy {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SittingInNext {
    pub region_id: i64,
    /// The term's first and last year: the congress's duty-report year and the four before it
    /// (else the five years up to this one, with meetings ahead counted too).
    pub term_from: i32,
    pub term_to: i32,
    /// Deputies seated in the congress.
    pub seated: usize,
    /// Have sat in this term, and the share beside its volume.
    pub sat: usize,
    pub covered: Rate,
    /// Invited to a sitting-in meeting still ahead.
    pub invited: usize,
    /// Whom to invite next: never invited first, then those invited longest ago.
    pub next: Vec<NextDeputy>,
}

/// Whom to invite next to sit in (列席) on the standing committee: the congress's seated deputies
/// who have not sat in this term nor are invited to a meeting ahead (staff of the congress).
#[utoipa::path(tag = "events", params(NextQuery), responses((status = 200, body = SittingInNext), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/sitting-in/next")]
pub async fn next(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<NextQuery>,
) -> AppResult<web::Json<SittingInNext>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff plan sitting in"));
    }
    let (q, tz) = (q.into_inner(), state.settings.tz);
    let n = q.n.unwrap_or(10);
    if !(1..=1000).contains(&n) {
        return Err(AppError::invalid_field("n", "out_of_range", "1 to 1000"));
    }
    let this_year = state.clock.now().with_timezone(&tz).year();
    let out = db::run(&state.db, move |c| {
        let path = crate::org::region_path(c, q.region_id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Read, &Target::new(Kind::Region, path.clone()))?;
        // Without a duty-report year the term is the five years up to this one, and open ahead.
        let due = crate::ledger::duty_report_due_year(c, &path)?;
        let to = due.unwrap_or(this_year);
        let start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
        let (from_at, to_at) = (start(to - 4), start(due.map_or(2201, |y| y + 1)));
        let (Some(from_at), Some(to_at)) = (from_at, to_at) else { return Err(AppError::not_found()) };
        // Local midnights, as stored times are UTC.
        let shift = |t: chrono::NaiveDateTime| t.and_local_timezone(tz).earliest().map(|x| x.naive_utc()).unwrap_or(t);
        let seated = crate::org::seated_in_congress(c, &path)?;
        let invitations = store::invitations(c, q.region_id, (shift(from_at), shift(to_at)))?;
        let r = rotation(&seated, &invitations);
        let next: Vec<i64> = r.next.iter().copied().take(n).collect();
        let names: std::collections::HashMap<i64, String> = crate::org::deputy_names(c, &next)?.into_iter().collect();
        Ok(SittingInNext {
            region_id: q.region_id,
            term_from: to - 4,
            term_to: to,
            seated: seated.len(),
            sat: r.sat.len(),
            covered: crate::http::rate(r.sat.len() as i64, seated.len() as i64),
            invited: r.invited.len(),
            next: next
                .into_iter()
                .map(|id| NextDeputy { id, name: names.get(&id).cloned().unwrap_or_default() })
                .collect(),
        })
    })
    .await?;
    Ok(web::Json(out))
}
