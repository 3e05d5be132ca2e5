//! Routes for regions and groups.

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, UpdateErrors, WriteErrors};
use crate::http::{check_if_match, etag, if_match, page, with_etag, Page, PageQuery};
use crate::org::model::{
    GroupCreate, GroupUpdate, GroupView, RegionCreate, RegionQuery, RegionUpdate, RegionView, ScopedQuery,
};
use crate::org::{narrowed_filter, rules, store};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

fn region_etag(r: &RegionView) -> String {
    etag("region", r.id, r.version)
}

/// Create a region under a parent in your scope (only installation-wide admins create roots).
#[utoipa::path(tag = "regions", request_body = RegionCreate, responses((status = 201, body = RegionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/regions")]
pub async fn create_region(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<RegionCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    policy::role_allows(&p, Action::Write, Kind::Region)?;
    let mut errs: Vec<FieldError> = rules::required_text("name", &b.name, 64).into_iter().collect();
    if !rules::REGION_LEVELS.contains(&b.level.as_str()) {
        errs.push(FieldError::new("level", "invalid_value", "province, city, county or township"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let parent = match b.parent_id {
            Some(pid) => {
                let parent = store::region(c, pid)?.ok_or_else(AppError::not_found)?;
                policy::authorize(&p, Action::Write, &Target::new(Kind::Region, parent.path.clone()))?;
                if rules::child_level(&parent.level) != Some(b.level.as_str()) {
                    return Err(AppError::invalid_field(
                        "level",
                        "level_mismatch",
                        format!(
                            "a child of a {} must be a {}",
                            parent.level,
                            rules::child_level(&parent.level).unwrap_or("nothing")
                        ),
                    ));
                }
                Some(parent)
            }
            None if p.region_path.is_some() => {
                return Err(AppError::forbidden(
                    Code::Forbidden,
                    "only installation-wide admins create top-level regions",
                ))
            }
            None => None,
        };
        rules::check_region_code(b.code.trim(), &b.level, parent.as_ref().map(|x| x.code.as_str()))
            .map_err(|e| AppError::validation(vec![e]))?;
        let row = store::insert_region(c, b.code.trim(), b.name.trim(), parent.as_ref(), &b.level, now)?;
        Entry::by(&p, "region.create", "region", row.id.to_string()).region(Some(row.path.clone())).write(c, now)?;
        Ok(RegionView::from(row))
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, region_etag(&view), &view))
}

/// List regions in your scope.
#[utoipa::path(tag = "regions", params(RegionQuery, PageQuery), responses((status = 200, body = Page<RegionView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/regions")]
pub async fn list_regions(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<RegionQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<RegionView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let q = q.into_inner();
    let rows = db::run(&state.db, move |c| {
        let f = store::RegionListFilter {
            scope: policy::list_filter(&p, Kind::Region)?,
            parent_id: q.parent_id,
            level: q.level,
            q: q.q,
        };
        store::list_regions(c, &f, after, limit + 1)
    })
    .await?;
    Ok(web::Json(page(rows, limit, |r| r.id, RegionView::from)))
}

/// Read a region.
#[utoipa::path(tag = "regions", params(("id" = i64, Path)), responses((status = 200, body = RegionView, headers(("ETag" = String))), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/regions/{id}")]
pub async fn get_region(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = db::run(&state.db, move |c| {
        let row = store::region(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Read, &Target::new(Kind::Region, row.path.clone()))?;
        Ok(RegionView::from(row))
    })
    .await?;
    Ok(with_etag(StatusCode::OK, region_etag(&view), &view))
}

/// Rename a region (If-Match required).
#[utoipa::path(tag = "regions", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = RegionUpdate, responses((status = 200, body = RegionView), UpdateErrors), security(("bearer" = [])))]
#[patch("/api/v1/regions/{id}")]
pub async fn update_region(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<RegionUpdate>,
) -> AppResult<HttpResponse> {
    let (id, b, given) = (id.into_inner(), body.into_inner(), if_match(&req));
    if let Some(e) = rules::required_text("name", &b.name, 64) {
        return Err(AppError::validation(vec![e]));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let row = store::region(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Region, row.path.clone()))?;
        check_if_match(given.as_deref(), &etag("region", id, row.version))?;
        if !store::rename_region(c, id, row.version, b.name.trim(), now)? {
            return Err(AppError::precondition_failed());
        }
        Entry::by(&p, "region.update", "region", id.to_string()).region(Some(row.path)).write(c, now)?;
        Ok(RegionView::from(store::region(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await?;
    Ok(with_etag(StatusCode::OK, region_etag(&view), &view))
}

fn group_etag(g: &GroupView) -> String {
    etag("group", g.id, g.version)
}

/// Create a deputy group (代表小组) in a region of your scope.
#[utoipa::path(tag = "groups", request_body = GroupCreate, responses((status = 201, body = GroupView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/groups")]
pub async fn create_group(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<GroupCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    policy::role_allows(&p, Action::Write, Kind::Group)?;
    let mut errs: Vec<FieldError> = rules::required_text("name", &b.name, 64).into_iter().collect();
    if !(1..=100).contains(&b.term) {
        errs.push(FieldError::new("term", "out_of_range", "term (届) must be 1–100"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let path = store::region_path(c, b.region_id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Group, path.clone()))?;
        let id = store::insert_group(c, b.region_id, b.name.trim(), b.term, now)?;
        Entry::by(&p, "group.create", "group", id.to_string()).region(Some(path)).write(c, now)?;
        Ok(store::group(c, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, group_etag(&view), &view))
}

/// List groups in your scope.
#[utoipa::path(tag = "groups", params(ScopedQuery, PageQuery), responses((status = 200, body = Page<GroupView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ScopedQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<GroupView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let q = q.into_inner();
    let rows = db::run(&state.db, move |c| {
        let scope = narrowed_filter(c, &p, Kind::Group, q.region_id)?;
        store::list_groups(c, &scope, q.term, q.q.as_deref(), after, limit + 1)
    })
    .await?;
    Ok(web::Json(page(rows, limit, |g| g.id, |g| g)))
}

/// Read a group.
#[utoipa::path(tag = "groups", params(("id" = i64, Path)), responses((status = 200, body = GroupView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/groups/{id}")]
pub async fn get_group(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = db::run(&state.db, move |c| {
        let (g, path) = store::group(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Read, &Target::new(Kind::Group, path))?;
        Ok(g)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, group_etag(&view), &view))
}

/// Rename a group (If-Match required).
#[utoipa::path(tag = "groups", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = GroupUpdate, responses((status = 200, body = GroupView), UpdateErrors), security(("bearer" = [])))]
#[patch("/api/v1/groups/{id}")]
pub async fn update_group(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<GroupUpdate>,
) -> AppResult<HttpResponse> {
    let (id, b, given) = (id.into_inner(), body.into_inner(), if_match(&req));
    if let Some(e) = rules::required_text("name", &b.name, 64) {
        return Err(AppError::validation(vec![e]));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let (g, path) = store::group(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Group, path.clone()))?;
        check_if_match(given.as_deref(), &group_etag(&g))?;
        if !store::rename_group(c, id, g.version, b.name.trim(), now)? {
            return Err(AppError::precondition_failed());
        }
        Entry::by(&p, "group.update", "group", id.to_string()).region(Some(path)).write(c, now)?;
        Ok(store::group(c, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, group_etag(&view), &view))
}

/// Delete a group that no seat refers to (409 `referenced_record` otherwise).
#[utoipa::path(tag = "groups", params(("id" = i64, Path)), responses((status = 204, description = "deleted"), WriteErrors), security(("bearer" = [])))]
#[delete("/api/v1/groups/{id}")]
pub async fn delete_group(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    db::tx(&state.db, move |c| {
        let (_, path) = store::group(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Group, path.clone()))?;
        store::delete_group(c, id)?;
        Entry::by(&p, "group.delete", "group", id.to_string()).region(Some(path)).write(c, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
