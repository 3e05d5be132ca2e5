//! Routes: staff's side of a report — reading it, returning it with comments, approving it
//! (which opens its session at the station: an event of kind `duty_report`), recording that it
//! was delivered once the session is over (its ledger entry, the result told to the deputy), and
//! publishing it.

use super::scope::{kept, readable};
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{etag, with_etag};
use crate::reports::model::{view, ReportView, ReturnRequest};
use crate::reports::rules;
use crate::reports::store::{self, ReportRow};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

/// How long a report's session lasts.
const SESSION_HOURS: i64 = 2;

/// One report (its deputy, or staff in scope), with its ETag.
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), responses((status = 200, body = ReportView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/duty-reports/{id}")]
pub async fn get_one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let v = db::run(&state.db, move |c| Ok(view(readable(c, &p, id)?))).await?;
    Ok(with_etag(StatusCode::OK, etag("duty-report", v.id, v.version), &v))
}

/// Takes a staff step on a kept report; answers the report after it.
fn take(
    c: &mut AnyConnection,
    p: &Principal,
    id: i64,
    step: &str,
    comment: Option<&str>,
    now: chrono::NaiveDateTime,
) -> AppResult<ReportRow> {
    let r = kept(c, p, id)?;
    let to = rules::next(&r.status, step).ok_or_else(|| {
        AppError::conflict(Code::IllegalTransition, format!("a {} report cannot be {step}d", r.status))
    })?;
    if !store::step(c, id, (&r.status, to), comment, now)? {
        return Err(AppError::conflict(Code::IllegalTransition, "the report changed meanwhile"));
    }
    Entry::by(p, &format!("duty_report.{step}"), "duty_report", id.to_string())
        .region(Some(r.region_path))
        .write(c, now)?;
    store::get(c, id)?.ok_or_else(AppError::not_found)
}

/// Return a submitted report to its deputy with comments (staff in scope).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), request_body = ReturnRequest, responses((status = 200, body = ReportView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/{id}/return")]
pub async fn send_back(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ReturnRequest>,
) -> AppResult<web::Json<ReportView>> {
    if let Some(e) = crate::org::rules::required_text("comment", &body.comment, 2000) {
        return Err(AppError::validation(vec![e]));
    }
    let (id, now, comment) = (id.into_inner(), state.now(), body.into_inner().comment);
    let r = db::tx(&state.db, move |c| take(c, &p, id, "return", Some(comment.trim()), now)).await?;
    Ok(web::Json(view(r)))
}

/// Approve a submitted report: its text closes and its session opens at the scheduled station
/// and time (an event of kind `duty_report` with the deputy invited; 422 `not_scheduled` when
/// it has no date or station yet).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), responses((status = 200, body = ReportView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/{id}/approve")]
pub async fn approve(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<ReportView>> {
    let (id, now) = (id.into_inner(), state.now());
    let r = db::tx(&state.db, move |c| {
        let before = kept(c, &p, id)?;
        let (Some(station), Some(at)) = (before.station_id, before.scheduled_for) else {
            return Err(AppError::invalid_field(
                "scheduled_for",
                "not_scheduled",
                "schedule the report's session first",
            ));
        };
        let r = take(c, &p, id, "approve", None, now)?;
        let name = crate::org::deputy_names(c, &[r.deputy_id])?.pop().map(|x| x.1).unwrap_or_default();
        let session = crate::checkins::NewSession {
            station,
            kind: "duty_report",
            title: &format!("{name}代表述职评议"),
            starts_at: at,
            ends_at: at + chrono::Duration::hours(SESSION_HOURS),
            deputy: r.deputy_id,
            by: p.account_id,
        };
        let event = crate::checkins::open_session(c, &session, now)?;
        store::set_event(c, id, event)?;
        store::get(c, id)?.ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(web::Json(view(r)))
}

/// Record that the report was delivered, once its session is over: the deputy's ledger entry
/// (`duty_report_delivered`, once per report) and a notice of the result.
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), responses((status = 200, body = ReportView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/{id}/deliver")]
pub async fn deliver(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<ReportView>> {
    let (id, now, st) = (id.into_inner(), state.now(), state.clone());
    let (r, wake) = db::tx(&state.db, move |c| {
        let before = kept(c, &p, id)?;
        let ends = match before.event_id {
            Some(e) => crate::checkins::event_window(c, e)?.map(|w| w.1),
            None => None,
        };
        if ends.is_none_or(|e| e > now) {
            return Err(AppError::conflict(Code::SessionNotOver, "the report's session is not over yet"));
        }
        let r = take(c, &p, id, "deliver", None, now)?;
        let e = crate::ledger::PointEvent {
            deputy: r.deputy_id,
            kind: "duty_report_delivered",
            source: ("duty_report", id),
            at: now,
        };
        crate::ledger::note(c, e, now)?;
        let t = crate::reports::archive::tally(c, id)?;
        let body = format!(
            "您的述职评议已完成：共{}人评议，满意{}、基本满意{}、不满意{}。{}",
            t.total(),
            t.satisfied,
            t.basically_satisfied,
            t.unsatisfied,
            if t.flagged(rules::FLAG_SHARE) {
                "不满意率超过半数，代表工作机构将与您约谈。"
            } else {
                ""
            }
        );
        let s = &st.settings;
        let wake = crate::notices::send_personal(c, r.deputy_id, "述职评议结果", &body, now, s.tz, s.quiet_hours)?.1;
        Ok((r, wake))
    })
    .await?;
    crate::live::announce(&state, &[wake]).await;
    Ok(web::Json(view(r)))
}

/// Publish a delivered report: its text, frozen figures and results become public.
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), responses((status = 200, body = ReportView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/{id}/publish")]
pub async fn publish(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<ReportView>> {
    let (id, now) = (id.into_inner(), state.now());
    let r = db::tx(&state.db, move |c| take(c, &p, id, "publish", None, now)).await?;
    Ok(web::Json(view(r)))
}
