//! Routes: deputies inspect the adopted projects (视察) — staff link an inspection event (made
//! and invited through the events API) to a project; a deputy checked in to that event gives
//! their remarks once, which earns the ledger's `project_inspected` points once per inspection.

use super::scope::{kept_project, project};
use super::works::{ctx, one};
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::projects::model::{InspectionLink, ProjectView, RemarkCreate};
use crate::projects::rules::MAX_TEXT;
use crate::projects::store::works as ws;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};

/// Link an inspection event to an adopted project (staff; the event is of kind inspection and
/// in the congress's region).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = InspectionLink, responses((status = 201, body = ProjectView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/projects/{id}/inspections")]
pub async fn link(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<InspectionLink>,
) -> AppResult<HttpResponse> {
    let (event, id, now, st) = (body.event_id, id.into_inner(), state.now(), state.clone());
    let v = db::tx(&state.db, move |c| {
        let (r, row) = kept_project(c, &p, id)?;
        if !matches!(r.status.as_str(), "closed" | "implementing") {
            return Err(AppError::conflict(Code::IllegalTransition, "inspections are linked before the assessment"));
        }
        let found = crate::checkins::event_brief(c, event)?.filter(|e| e.2.starts_with(&r.region_path));
        let (kind, ..) = found.ok_or_else(|| {
            AppError::invalid_field("event_id", "not_found", "no such event in this congress's region")
        })?;
        if kind != "inspection" {
            return Err(AppError::invalid_field("event_id", "invalid_value", "an event of kind inspection"));
        }
        if !ws::link_inspection(c, id, event, p.account_id, now)? {
            return Err(AppError::conflict(Code::AlreadyExists, "the event is linked already"));
        }
        Entry::by(&p, "project.inspection", "project", id.to_string())
            .region(Some(r.region_path.clone()))
            .write(c, now)?;
        one(c, &ctx(&st), &r, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Give one's remarks on an inspection of a project (a deputy checked in to the inspection
/// event: 403 `not_present` otherwise; once: 409 `already_exists`). Earns `project_inspected`.
#[utoipa::path(tag = "projects", params(("id" = i64, Path), ("event_id" = i64, Path)), request_body = RemarkCreate, responses((status = 201, body = ProjectView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/projects/{id}/inspections/{event_id}/remarks")]
pub async fn remark(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i64)>,
    body: web::Json<RemarkCreate>,
) -> AppResult<HttpResponse> {
    let ((id, event), text, now, st) = (path.into_inner(), body.into_inner().text, state.now(), state.clone());
    let mut errs: Vec<FieldError> = crate::org::rules::required_text("text", &text, MAX_TEXT).into_iter().collect();
    if text.contains('\0') {
        errs.push(FieldError::new("text", "invalid_value", "no NUL characters"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let deputy = p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "deputies give remarks"))?;
        let (r, row) = project(c, &p, id)?;
        if !ws::inspections(c, &[id])?.iter().any(|i| i.1 == event) {
            return Err(AppError::not_found());
        }
        if !crate::checkins::checked_in_to(c, event, deputy)? {
            return Err(AppError::forbidden(Code::NotPresent, "check in to the inspection first"));
        }
        if !ws::add_remark(c, (id, event, deputy), text.trim(), now)? {
            return Err(AppError::conflict(Code::AlreadyExists, "you gave your remarks on this inspection"));
        }
        let e = crate::ledger::PointEvent {
            deputy,
            kind: "project_inspected",
            source: ("project_inspection", event),
            at: now,
        };
        crate::ledger::note(c, e, now)?;
        Entry::by(&p, "project.remark", "project", id.to_string()).region(Some(r.region_path.clone())).write(c, now)?;
        one(c, &ctx(&st), &r, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}
