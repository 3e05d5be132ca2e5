//! Routes: the deputy's side of a report — drafting it on a frozen, signed copy of their duty
//! archive (the report staff scheduled, or a new one), changing its text until approval under
//! If-Match, submitting it, and listing their reports.

use super::scope::own;
use crate::audit::Entry;
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, UpdateErrors, WriteErrors};
use crate::http::{check_if_match, etag, if_match, with_etag};
use crate::reports::model::{view, DraftCreate, DraftUpdate, ReportView};
use crate::reports::rules::{self, MAX_BODY};
use crate::reports::store;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};

fn me(p: &Principal) -> AppResult<i64> {
    match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) => Ok(d),
        _ => Err(AppError::forbidden(Code::Forbidden, "deputies write their own reports")),
    }
}

fn check_body(body: &str) -> AppResult<()> {
    if body.chars().count() > MAX_BODY {
        return Err(AppError::invalid_field("body", "too_long", "at most 20,000 characters"));
    }
    Ok(())
}

/// Draft my report of a term: it stands on a frozen, signed copy of my duty archive of `year`
/// (the figures cannot be edited; `lvzhi verify-ledger --archive` checks them) and takes the
/// place of the report staff scheduled, if any.
#[utoipa::path(tag = "duty-reports", request_body = DraftCreate, responses((status = 201, body = ReportView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/duty-reports")]
pub async fn create(state: web::Data<AppState>, p: Principal, body: web::Json<DraftCreate>) -> AppResult<HttpResponse> {
    let deputy = me(&p)?;
    let b = body.into_inner();
    check_body(&b.body)?;
    if !(1..=30).contains(&b.term) {
        return Err(AppError::invalid_field("term", "out_of_range", "1–30"));
    }
    let (tz, now_utc, now) = (state.settings.tz, state.clock.now(), state.now());
    let year = b.year.unwrap_or_else(|| chrono::Datelike::year(&now_utc.with_timezone(&tz)));
    if !(1949..=chrono::Datelike::year(&now_utc.with_timezone(&tz))).contains(&year) {
        return Err(AppError::invalid_field("year", "out_of_range", "a past year or this one"));
    }
    let st = state.clone();
    let v = db::tx(&state.db, move |c| {
        let id = match store::scheduled_of(c, deputy, b.term)? {
            Some(r) => r.id,
            None => {
                let seats = crate::org::deputy_scopes(c, &[deputy])?;
                let path = crate::org::congress_path(seats.get(&deputy).map(Vec::as_slice).unwrap_or_default());
                store::insert_draft(c, deputy, &path, b.term, now)?
            }
        };
        let signed = crate::ledger::signed_archive(c, &st, deputy, year)?;
        let head = signed
            .archive
            .get("chain_head")
            .and_then(|h| h.get("hash"))
            .and_then(|h| h.as_str())
            .unwrap_or_default()
            .to_string();
        let figures = serde_json::to_string(&signed).map_err(AppError::internal)?;
        if !store::freeze(c, id, (year, &figures, &head), b.body.trim(), now)? {
            return Err(AppError::conflict(Code::IllegalTransition, "this report is drafted already"));
        }
        Entry::by(&p, "duty_report.draft", "duty_report", id.to_string()).write(c, now)?;
        Ok(view(store::get(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await?;
    let tag = etag("duty-report", v.id, v.version);
    Ok(with_etag(StatusCode::CREATED, tag, &v))
}

/// My reports, newest first.
#[utoipa::path(tag = "duty-reports", responses((status = 200, body = Vec<ReportView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/duty-reports")]
pub async fn mine(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<ReportView>>> {
    let deputy = me(&p)?;
    let rows = db::run(&state.db, move |c| store::of_deputy(c, deputy, false)).await?;
    Ok(web::Json(rows.into_iter().map(view).collect()))
}

/// Change my report's text until it is approved (If-Match required); the figures are frozen
/// (422 `frozen` when sent).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = DraftUpdate, responses((status = 200, body = ReportView), UpdateErrors), security(("bearer" = [])))]
#[put("/api/v1/me/duty-reports/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<DraftUpdate>,
) -> AppResult<HttpResponse> {
    me(&p)?;
    let (id, b, given) = (id.into_inner(), body.into_inner(), if_match(&req));
    if b.figures.is_some() {
        return Err(AppError::invalid_field("figures", "frozen", "the figures are frozen when the report is drafted"));
    }
    check_body(&b.body)?;
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let r = own(c, &p, id)?;
        check_if_match(given.as_deref(), &etag("duty-report", id, r.version))?;
        if !rules::text_open(&r.status) {
            return Err(AppError::conflict(Code::IllegalTransition, format!("a {} report's text is closed", r.status)));
        }
        if !store::set_body(c, id, r.version, b.body.trim(), now)? {
            return Err(AppError::precondition_failed());
        }
        Ok(view(store::get(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await?;
    let tag = etag("duty-report", v.id, v.version);
    Ok(with_etag(StatusCode::OK, tag, &v))
}

/// Submit my report for staff to review.
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), responses((status = 200, body = ReportView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/duty-reports/{id}/submit")]
pub async fn submit(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<ReportView>> {
    me(&p)?;
    let (id, now) = (id.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let r = own(c, &p, id)?;
        let to = rules::next(&r.status, "submit").ok_or_else(|| {
            AppError::conflict(Code::IllegalTransition, format!("a {} report cannot be submitted", r.status))
        })?;
        if r.body.trim().is_empty() {
            return Err(AppError::invalid_field("body", "required", "write the report before submitting it"));
        }
        if !store::step(c, id, (&r.status, to), None, now)? {
            return Err(AppError::conflict(Code::IllegalTransition, "the report changed meanwhile"));
        }
        Entry::by(&p, "duty_report.submit", "duty_report", id.to_string()).region(Some(r.region_path)).write(c, now)?;
        Ok(view(store::get(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await?;
    Ok(web::Json(v))
}
