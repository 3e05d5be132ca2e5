//! Archive routes: a deputy's archive of a year as JSON or CSV, signed, and my own.

use super::build::{build, csv, sign};
use super::model::{ArchiveQuery, DutyArchive, SignedArchive};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::ledger::model::YearQuery;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

async fn respond(
    state: &AppState,
    p: Principal,
    deputy: i64,
    q: ArchiveQuery,
    sealed: bool,
) -> AppResult<HttpResponse> {
    let (tz, now) = (state.settings.tz, state.clock.now());
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&now.with_timezone(&tz)));
    let format = q.format.unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "csv") || (sealed && format != "json") {
        return Err(AppError::invalid_field("format", "invalid_value", if sealed { "json" } else { "json or csv" }));
    }
    let today = now.with_timezone(&tz).date_naive();
    let setup = crate::coverage::Setup { today, initial_days: state.settings.initial_training_days };
    let (archive, text) = db::run(&state.db, move |c| {
        crate::ledger::statements::may_read_points(c, &p, deputy)?;
        match format.as_str() {
            "csv" => Ok((None, Some(csv(c, deputy, year)?))),
            _ => {
                let mut a = build(c, deputy, year, tz, now)?;
                if !sealed && year == chrono::Datelike::year(&today) {
                    a.coverage = crate::coverage::of_deputy(c, deputy, setup)?;
                }
                Ok((Some(a), None))
            }
        }
    })
    .await?;
    let name = format!("lvzhi-archive-{deputy}-{year}");
    match (archive, text) {
        (_, Some(t)) => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}.csv\"")))
            .body(t)),
        (Some(a), None) if sealed => Ok(HttpResponse::Ok()
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}.signed.json\"")))
            .json(sign(state, &a)?)),
        (Some(a), None) => Ok(HttpResponse::Ok().json(a)),
        (None, None) => Err(AppError::internal("an archive was neither built nor written")),
    }
}

/// A deputy's duty archive of a year (the deputy, or staff in scope); `format=csv` for the entries.
#[utoipa::path(
    tag = "ledger",
    params(("id" = i64, Path), ArchiveQuery),
    responses((status = 200, description = "the archive, or its entries as CSV with `format=csv`", content((DutyArchive = "application/json"), (String = "text/csv"))), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/deputies/{id}/archive")]
pub async fn of_deputy(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<ArchiveQuery>,
) -> AppResult<HttpResponse> {
    respond(&state, p, id.into_inner(), q.into_inner(), false).await
}

/// The same archive, signed with the installation's key and sealed by the chain head;
/// `lvzhi verify-ledger --archive FILE` checks it.
#[utoipa::path(tag = "ledger", params(("id" = i64, Path), YearQuery), responses((status = 200, body = SignedArchive), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/deputies/{id}/archive/signed")]
pub async fn signed(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    respond(&state, p, id.into_inner(), ArchiveQuery { year: q.year, format: None }, true).await
}

/// My duty archive of a year; `format=csv` for the entries.
#[utoipa::path(
    tag = "ledger",
    params(ArchiveQuery),
    responses((status = 200, description = "the archive, or its entries as CSV with `format=csv`", content((DutyArchive = "application/json"), (String = "text/csv"))), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/me/archive")]
pub async fn mine(state: web::Data<AppState>, p: Principal, q: web::Query<ArchiveQuery>) -> AppResult<HttpResponse> {
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    respond(&state, p, me, q.into_inner(), false).await
}
