//! Routes: liaison links — made and ended by the congress's staff, listed with the coverage of
//! the congress's deputies, and each person's own links.

use super::access::{self, congress, views};
use crate::audit::Entry;
use crate::auth::policy::Action;
use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::liaison::model::{LinkCreate, LinkList, LinkQuery, LinkView};
use crate::liaison::rules::own_or_child;
use crate::liaison::store::{self, NewLink};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::Datelike;

/// Whether the member stands in the congress: a deputy seated there, or a staff account of it.
pub(super) fn check_member(c: &mut AnyConnection, path: &str, region: i64, b: &LinkCreate) -> AppResult<()> {
    match (b.member_deputy_id, b.member_account_id) {
        (Some(d), None) => {
            if !crate::org::seated_in_congress(c, path)?.contains(&d) {
                return Err(AppError::invalid_field(
                    "member_deputy_id",
                    "not_seated",
                    "a deputy seated in this congress",
                ));
            }
        }
        (None, Some(a)) => {
            let ok =
                crate::auth::account_by_id(c, a)?.is_some_and(|x| x.role == "admin" && x.region_id == Some(region));
            if !ok {
                return Err(AppError::invalid_field(
                    "member_account_id",
                    "not_found",
                    "a staff account of this congress",
                ));
            }
        }
        _ => {
            return Err(AppError::invalid_field(
                "member_deputy_id",
                "required",
                "a member deputy or a member account, one of them",
            ))
        }
    }
    Ok(())
}

/// Whether the target lies in the congress or one directly below (422 otherwise: a link across
/// congresses that are not parent and child).
pub(super) fn check_target(c: &mut AnyConnection, path: &str, b: &LinkCreate) -> AppResult<()> {
    match (b.deputy_id, b.group_id) {
        (Some(d), None) => {
            let seats = crate::org::deputy_scopes(c, &[d])?
                .remove(&d)
                .ok_or_else(|| AppError::invalid_field("deputy_id", "not_found", "no such deputy"))?;
            if !seats.iter().any(|s| s.status == "active" && own_or_child(&s.path, path)) {
                return Err(AppError::invalid_field(
                    "deputy_id",
                    "not_parent_child",
                    "a deputy of this congress or of one directly below",
                ));
            }
            if b.member_deputy_id == Some(d) {
                return Err(AppError::invalid_field(
                    "deputy_id",
                    "invalid_value",
                    "a member is not linked with themselves",
                ));
            }
        }
        (None, Some(g)) => {
            let (_, gp) = crate::org::group_named(c, g)?
                .ok_or_else(|| AppError::invalid_field("group_id", "not_found", "no such group"))?;
            if !own_or_child(&gp, path) {
                return Err(AppError::invalid_field(
                    "group_id",
                    "not_parent_child",
                    "a group of this congress or of one directly below",
                ));
            }
        }
        _ => return Err(AppError::invalid_field("deputy_id", "required", "a deputy or a group, one of them")),
    }
    Ok(())
}

/// Link a member (a deputy seated in the congress or a staff account of it) with a deputy or a
/// group of the congress or of one directly below, for a term (staff; 409 `already_exists` for a
/// second active link of the same pair and term).
#[utoipa::path(tag = "liaison", request_body = LinkCreate, responses((status = 201, body = LinkView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/liaison-links")]
pub async fn create(state: web::Data<AppState>, p: Principal, body: web::Json<LinkCreate>) -> AppResult<HttpResponse> {
    let (b, now) = (body.into_inner(), state.now());
    let year = state.clock.now().with_timezone(&state.settings.tz).year();
    let target = b.yearly_target.unwrap_or(4);
    let mut errs = vec![];
    if !(1..=100).contains(&b.term) {
        errs.push(FieldError::new("term", "out_of_range", "1–100"));
    }
    if !(1..=365).contains(&target) {
        errs.push(FieldError::new("yearly_target", "out_of_range", "1–365"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let (region, path) = congress(c, &p, b.region_id, Action::Write)?;
        check_member(c, &path, region, &b)?;
        check_target(c, &path, &b)?;
        let n = NewLink {
            congress: (region, &path),
            term: b.term,
            member: (b.member_deputy_id, b.member_account_id),
            target: (b.deputy_id, b.group_id),
            yearly_target: target,
            by: p.account_id,
        };
        let id = store::insert(c, &n, now)?;
        Entry::by(&p, "liaison_link.create", "liaison_link", id.to_string()).region(Some(path)).write(c, now)?;
        let l = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        views(c, vec![l], year)?.into_iter().next().ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// A congress's links (first 500), and with `coverage=true` the coverage of its deputies: who is
/// not linked, links below their target this year, members below their count (staff).
#[utoipa::path(tag = "liaison", params(LinkQuery), responses((status = 200, body = LinkList), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/liaison-links")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<LinkQuery>,
) -> AppResult<web::Json<LinkList>> {
    let q = q.into_inner();
    let population = q.population.clone().unwrap_or_else(|| "own".into());
    if !matches!(population.as_str(), "own" | "children") {
        return Err(AppError::invalid_field("population", "invalid_value", "own or children"));
    }
    let year = state.clock.now().with_timezone(&state.settings.tz).year();
    let out = db::run(&state.db, move |c| {
        let (_, path) = congress(c, &p, q.region_id, Action::Read)?;
        let links = store::of_congress(c, &path, q.term, false)?;
        let coverage = match q.coverage {
            true => Some(super::coverage::build(c, &path, &links, (&population, q.min_links), year)?),
            false => None,
        };
        let items = views(c, links.into_iter().take(500).collect(), year)?;
        Ok(LinkList { items, coverage })
    })
    .await?;
    Ok(web::Json(out))
}

/// The caller's own active links: as a member, as the linked deputy, or through their group.
#[utoipa::path(tag = "liaison", responses((status = 200, body = Vec<LinkView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/liaison-links")]
pub async fn mine(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<LinkView>>> {
    let year = state.clock.now().with_timezone(&state.settings.tz).year();
    let out = db::run(&state.db, move |c| {
        let groups: Vec<i64> = match p.deputy_id {
            Some(d) => crate::org::deputy_scopes(c, &[d])?
                .remove(&d)
                .unwrap_or_default()
                .into_iter()
                .filter(|s| s.status == "active")
                .filter_map(|s| s.group_id)
                .collect(),
            None => vec![],
        };
        if !matches!(p.role, Role::Deputy | Role::Admin) {
            return Ok(vec![]);
        }
        let links = store::of_person(c, p.deputy_id, p.account_id, &groups)?;
        views(c, links, year)
    })
    .await?;
    Ok(web::Json(out))
}

/// End a link (staff; 409 `illegal_transition` when ended already).
#[utoipa::path(tag = "liaison", params(("id" = i64, Path)), responses((status = 200, body = LinkView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/liaison-links/{id}/end")]
pub async fn end(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<LinkView>> {
    let (id, now) = (id.into_inner(), state.now());
    let year = state.clock.now().with_timezone(&state.settings.tz).year();
    let v = db::tx(&state.db, move |c| {
        let (l, s) = access::open(c, &p, id)?;
        if s != access::Stand::Staff {
            return Err(AppError::forbidden(Code::Forbidden, "congress staff end links"));
        }
        congress(c, &p, Some(l.region_id), Action::Write)?;
        if !store::end(c, id, now)? {
            return Err(AppError::conflict(Code::IllegalTransition, "the link has ended already"));
        }
        Entry::by(&p, "liaison_link.end", "liaison_link", id.to_string()).region(Some(l.region_path)).write(c, now)?;
        let l = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        views(c, vec![l], year)?.into_iter().next().ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(web::Json(v))
}
