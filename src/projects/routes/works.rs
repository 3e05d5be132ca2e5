//! Routes: carrying out the adopted projects — the round moves to implementing once every
//! adopted project has its lead unit; staff set the units and milestones; staff, deputies and
//! the units follow the projects (with the red light of overdue milestones); the lead unit (or
//! staff) marks a milestone done.

use super::rounds::take;
use super::scope::{kept, kept_project, may_read, project};
use super::views::{self, Ctx};
use crate::audit::Entry;
use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::projects::model::{MilestoneCreate, MilestoneDone, ProjectQuery, ProjectView, RoundView, UnitsSet};
use crate::projects::rules::works::{self, LEAD, MAX_CO_UNITS};
use crate::projects::rules::MAX_TITLE;
use crate::projects::store::{self, works as ws, RoundRow};
use crate::state::AppState;
use actix_web::{get, post, put, web, HttpResponse};

/// The local day and the signing keys the views need.
pub(super) fn ctx(state: &AppState) -> Ctx<'_> {
    let now = state.clock.now();
    Ctx { keys: &state.keys, now: now.timestamp(), today: now.with_timezone(&state.settings.tz).date_naive() }
}

/// One project's view.
pub(super) fn one(c: &mut AnyConnection, x: &Ctx, r: &RoundRow, row: store::CandidateRow) -> AppResult<ProjectView> {
    let mut v = views::projects(c, x, vec![row], std::slice::from_ref(r))?;
    v.pop().ok_or_else(AppError::not_found)
}

/// Start carrying out the adopted projects: the round goes from closed to implementing (staff;
/// every adopted project needs its lead unit first, 422 otherwise).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/implement")]
pub async fn implement(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<RoundView>> {
    let (id, now) = (id.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        let adopted: Vec<i64> = store::adopted(c, id)?.iter().map(|x| x.id).collect();
        let led: Vec<i64> = ws::units_of(c, &adopted)?.into_iter().filter(|u| u.2 == LEAD).map(|u| u.0).collect();
        if let Some(x) = adopted.iter().find(|x| !led.contains(x)) {
            return Err(AppError::invalid_field("lead_unit_id", "required", format!("project {x} has no lead unit")));
        }
        take(c, &p, &r, "implement", now)?;
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        super::rounds::full(c, r)
    })
    .await?;
    Ok(web::Json(v))
}

/// Adopted projects with their units, milestones (red light when overdue), progress and
/// inspections: a round's, or every round's in the caller's scope (staff, the congress's
/// deputies, and unit accounts for the projects their unit carries out).
#[utoipa::path(tag = "projects", params(ProjectQuery), responses((status = 200, body = Vec<ProjectView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/projects")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ProjectQuery>,
) -> AppResult<web::Json<Vec<ProjectView>>> {
    let (q, st) = (q.into_inner(), state.clone());
    let out = db::run(&state.db, move |c| {
        let x = ctx(&st);
        let mut rows = vec![];
        let mut rounds = vec![];
        if p.role == Role::Unit {
            let mine = p.unit_id.map(|u| ws::projects_of_unit(c, u)).transpose()?.unwrap_or_default();
            for id in mine {
                let Some(row) = store::candidate(c, id)?.filter(|x| x.adopted) else { continue };
                if q.round_id.is_some_and(|r| r != row.round_id) {
                    continue;
                }
                rounds.extend(store::get(c, row.round_id)?);
                rows.push(row);
            }
        } else {
            let found = match q.round_id {
                Some(id) => store::get(c, id)?.into_iter().collect(),
                None => store::decided(
                    c,
                    &[],
                    Some(&crate::org::subtree_like(p.region_path.as_deref().unwrap_or("/"))),
                    None,
                )?,
            };
            for r in found {
                if may_read(c, &p, &r).is_ok() {
                    rows.extend(store::adopted(c, r.id)?);
                    rounds.push(r);
                }
            }
        }
        let mut v = views::projects(c, &x, rows, &rounds)?;
        v.retain(|p| !q.red || p.red);
        Ok(v)
    })
    .await?;
    Ok(web::Json(out))
}

/// An adopted project (its round's readers and its units).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = ProjectView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/projects/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<ProjectView>> {
    let (id, st) = (id.into_inner(), state.clone());
    let v = db::run(&state.db, move |c| {
        let (r, row) = project(c, &p, id)?;
        one(c, &ctx(&st), &r, row)
    })
    .await?;
    Ok(web::Json(v))
}

/// Set the units carrying out an adopted project: the lead unit and co-units, existing handling
/// units of the congress's region (staff, before the round is assessed).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = UnitsSet, responses((status = 200, body = ProjectView), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/projects/{id}/units")]
pub async fn set_units(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<UnitsSet>,
) -> AppResult<web::Json<ProjectView>> {
    let (b, id, now, st) = (body.into_inner(), id.into_inner(), state.now(), state.clone());
    if b.co_unit_ids.len() > MAX_CO_UNITS {
        return Err(AppError::invalid_field("co_unit_ids", "out_of_range", "at most 20 co-units"));
    }
    let v = db::tx(&state.db, move |c| {
        let (r, row) = kept_project(c, &p, id)?;
        if !matches!(r.status.as_str(), "closed" | "implementing") {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                "units are set between the vote and the assessment",
            ));
        }
        for (field, u) in
            std::iter::once(("lead_unit_id", &b.lead_unit_id)).chain(b.co_unit_ids.iter().map(|u| ("co_unit_ids", u)))
        {
            let path = crate::org::unit_region_path(c, *u)?;
            if !path.is_some_and(|x| x.starts_with(&r.region_path)) {
                return Err(AppError::invalid_field(
                    field,
                    "not_found",
                    format!("no handling unit {u} in this congress's region"),
                ));
            }
        }
        ws::set_units(c, id, b.lead_unit_id, &b.co_unit_ids)?;
        Entry::by(&p, "project.units", "project", id.to_string()).region(Some(r.region_path.clone())).write(c, now)?;
        one(c, &ctx(&st), &r, row)
    })
    .await?;
    Ok(web::Json(v))
}

/// Add a milestone to an adopted project (staff; title and planned date YYYY-MM-DD).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = MilestoneCreate, responses((status = 201, body = ProjectView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/projects/{id}/milestones")]
pub async fn add_milestone(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<MilestoneCreate>,
) -> AppResult<HttpResponse> {
    let (b, id, now, st) = (body.into_inner(), id.into_inner(), state.now(), state.clone());
    let mut errs: Vec<FieldError> =
        crate::org::rules::required_text("title", &b.title, MAX_TITLE).into_iter().collect();
    if b.title.contains('\0') {
        errs.push(FieldError::new("title", "invalid_value", "no NUL characters"));
    }
    if works::date(&b.due_on).is_none() {
        errs.push(FieldError::new("due_on", "invalid_value", "a date YYYY-MM-DD"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let (r, row) = kept_project(c, &p, id)?;
        if r.status == "assessed" {
            return Err(AppError::conflict(Code::IllegalTransition, "the round is assessed"));
        }
        let mid = ws::add_milestone(c, id, b.title.trim(), &b.due_on, now)?;
        Entry::by(&p, "project.milestone", "project_milestone", mid.to_string())
            .region(Some(r.region_path.clone()))
            .write(c, now)?;
        one(c, &ctx(&st), &r, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Mark a milestone done (the lead unit's accounts, or staff); 409 when it is done already.
#[utoipa::path(tag = "projects", params(("id" = i64, Path), ("milestone_id" = i64, Path)), request_body = MilestoneDone, responses((status = 200, body = ProjectView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/projects/{id}/milestones/{milestone_id}/done")]
pub async fn milestone_done(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i64)>,
    body: web::Json<MilestoneDone>,
) -> AppResult<web::Json<ProjectView>> {
    let ((id, mid), b, now, st) = (path.into_inner(), body.into_inner(), state.now(), state.clone());
    let today = ctx(&state).today.format("%Y-%m-%d").to_string();
    let on = b.done_on.unwrap_or(today.clone());
    if works::date(&on).is_none_or(|d| d.format("%Y-%m-%d").to_string() > today) {
        return Err(AppError::invalid_field("done_on", "invalid_value", "a date YYYY-MM-DD, not in the future"));
    }
    let v = db::tx(&state.db, move |c| {
        let (r, row) = match p.role {
            Role::Unit => {
                let (r, row) = project(c, &p, id)?;
                let lead = ws::units_of(c, &[id])?.into_iter().any(|u| Some(u.1) == p.unit_id && u.2 == LEAD);
                if !lead {
                    return Err(AppError::forbidden(Code::Forbidden, "the lead unit marks milestones done"));
                }
                (r, row)
            }
            _ => kept_project(c, &p, id)?,
        };
        if r.status != "implementing" {
            return Err(AppError::conflict(Code::IllegalTransition, "milestones are done while implementing"));
        }
        if !ws::finish_milestone(c, id, mid, &on)? {
            let known = ws::milestones(c, &[id])?.iter().any(|m| m.0 == mid);
            return Err(if known {
                AppError::conflict(Code::IllegalTransition, "done already")
            } else {
                AppError::not_found()
            });
        }
        Entry::by(&p, "project.milestone_done", "project_milestone", mid.to_string())
            .region(Some(r.region_path.clone()))
            .write(c, now)?;
        one(c, &ctx(&st), &r, row)
    })
    .await?;
    Ok(web::Json(v))
}
