//! Routes for handling units (承办单位): who answers opinions and suggestions.

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, ReadErrors, UpdateErrors, WriteErrors};
use crate::http::{check_if_match, etag, if_match, page, with_etag, Page, PageQuery};
use crate::org::model::{ScopedQuery, UnitCreate, UnitUpdate, UnitView};
use crate::org::store::units;
use crate::org::{narrowed_filter, rules};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

fn unit_etag(u: &UnitView) -> String {
    etag("unit", u.id, u.version)
}

/// Create a handling unit (承办单位) in a region of your scope.
#[utoipa::path(tag = "units", request_body = UnitCreate, responses((status = 201, body = UnitView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/units")]
pub async fn create_unit(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<UnitCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    policy::role_allows(&p, Action::Write, Kind::Unit)?;
    if let Some(e) = rules::required_text("name", &b.name, 100) {
        return Err(AppError::validation(vec![e]));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let path = crate::org::store::region_path(c, b.region_id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Unit, path.clone()))?;
        let id = units::insert_unit(
            c,
            b.region_id,
            b.name.trim(),
            b.contact_name.as_deref(),
            b.contact_phone.as_deref(),
            now,
        )?;
        Entry::by(&p, "unit.create", "unit", id.to_string()).region(Some(path)).write(c, now)?;
        Ok(units::unit(c, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, unit_etag(&view), &view))
}

/// List handling units in your scope.
#[utoipa::path(tag = "units", params(ScopedQuery, PageQuery), responses((status = 200, body = Page<UnitView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/units")]
pub async fn list_units(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ScopedQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<UnitView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let q = q.into_inner();
    let rows = db::run(&state.db, move |c| {
        let scope = narrowed_filter(c, &p, Kind::Unit, q.region_id)?;
        units::list_units(c, &scope, q.q.as_deref(), after, limit + 1)
    })
    .await?;
    Ok(web::Json(page(rows, limit, |u| u.id, |u| u)))
}

/// Read a handling unit.
#[utoipa::path(tag = "units", params(("id" = i64, Path)), responses((status = 200, body = UnitView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/units/{id}")]
pub async fn get_unit(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = db::run(&state.db, move |c| {
        let (u, path) = units::unit(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Read, &Target::new(Kind::Unit, path))?;
        Ok(u)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, unit_etag(&view), &view))
}

/// Update a handling unit (If-Match required).
#[utoipa::path(tag = "units", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = UnitUpdate, responses((status = 200, body = UnitView), UpdateErrors), security(("bearer" = [])))]
#[patch("/api/v1/units/{id}")]
pub async fn update_unit(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<UnitUpdate>,
) -> AppResult<HttpResponse> {
    let (id, b, given) = (id.into_inner(), body.into_inner(), if_match(&req));
    if let Some(e) = b.name.as_deref().and_then(|n| rules::required_text("name", n, 100)) {
        return Err(AppError::validation(vec![e]));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let (u, path) = units::unit(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Unit, path.clone()))?;
        check_if_match(given.as_deref(), &unit_etag(&u))?;
        if !units::update_unit(c, id, u.version, &b, now)? {
            return Err(AppError::precondition_failed());
        }
        Entry::by(&p, "unit.update", "unit", id.to_string()).region(Some(path)).write(c, now)?;
        Ok(units::unit(c, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, unit_etag(&view), &view))
}

/// Delete a handling unit (409 `referenced_record` while accounts refer to it).
#[utoipa::path(tag = "units", params(("id" = i64, Path)), responses((status = 204, description = "deleted"), WriteErrors), security(("bearer" = [])))]
#[delete("/api/v1/units/{id}")]
pub async fn delete_unit(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    db::tx(&state.db, move |c| {
        let (_, path) = units::unit(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Unit, path.clone()))?;
        units::delete_unit(c, id)?;
        Entry::by(&p, "unit.delete", "unit", id.to_string()).region(Some(path)).write(c, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
