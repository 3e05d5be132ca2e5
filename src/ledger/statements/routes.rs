//! Statement routes: my points, and a deputy's points for staff in scope.

use super::explain::{may_read_points, statement};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::ledger::model::{PointsStatement, YearQuery};
use crate::ledger::this_year;
use crate::platform::views::{self, View};
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};

/// My points for a year, entry by entry with rule, clause, source and cap notes.
#[utoipa::path(tag = "ledger", params(YearQuery), responses((status = 200, body = PointsStatement), (status = 304, description = "unchanged since the ETag given in `If-None-Match`"), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/points")]
pub async fn mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    let year = q.year.unwrap_or_else(|| this_year(&state));
    views::serve(&req, &state, View::Points, me, year as u64, || async {
        let cache = state.ledger.clone();
        Ok((db::read(&state.db, move |c| statement(c, &cache, me, year)).await?, None))
    })
    .await
}

/// A deputy's points for a year (staff in scope).
#[utoipa::path(tag = "ledger", params(("id" = i64, Path), YearQuery), responses((status = 200, body = PointsStatement), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/deputies/{id}/points")]
pub async fn of_deputy(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<YearQuery>,
) -> AppResult<web::Json<PointsStatement>> {
    let id = id.into_inner();
    let year = q.year.unwrap_or_else(|| this_year(&state));
    let cache = state.ledger.clone();
    let s = db::run(&state.db, move |c| {
        may_read_points(c, &p, id)?;
        statement(c, &cache, id, year)
    })
    .await?;
    Ok(web::Json(s))
}
