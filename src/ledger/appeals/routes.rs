//! Appeals (错、重、漏): a deputy disputes an entry (wrong, or counted twice) or reports an
//! activity that was not counted; congress staff in scope answer in a thread and resolve it with
//! a reversal, a new entry, or a reasoned rejection. The thread is kept and shown in the archive.

use super::model::{AppealCreate, AppealQuery, AppealView, MessageCreate, Resolution};
use super::thread::{list, load_for, view};
use crate::audit::Entry;
use crate::auth::policy::{Action, Kind};
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::http::{Page, PageQuery};
use crate::ledger::awards::{self as service, Award};
use crate::ledger::store::appeals::{self as store, ListFilter, NewAppeal};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::TimeZone;

/// Appeal an entry, or report an activity that was not counted (the deputy).
#[utoipa::path(tag = "ledger", request_body = AppealCreate, responses((status = 201, body = AppealView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/appeals")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<AppealCreate>,
) -> AppResult<HttpResponse> {
    let me = p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "only deputies appeal their points"))?;
    let b = body.into_inner();
    let mut errs: Vec<FieldError> =
        crate::org::rules::required_text("description", &b.description, 2000).into_iter().collect();
    match (b.kind.as_str(), b.entry_id, b.occurred_on.as_deref()) {
        ("dispute", Some(_), _) => {}
        ("dispute", None, _) => errs.push(FieldError::new("entry_id", "required", "a dispute names the entry")),
        ("missing", _, Some(d)) if crate::org::rules::valid_date(d) => {}
        ("missing", _, _) => errs.push(FieldError::new("occurred_on", "required", "YYYY-MM-DD of the activity")),
        _ => errs.push(FieldError::new("kind", "invalid_value", "dispute or missing")),
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let year = match b.entry_id {
            Some(e) if b.kind == "dispute" => {
                let entry = crate::ledger::store::entry(c, e)?.filter(|x| x.deputy_id == me);
                entry
                    .ok_or_else(|| AppError::invalid_field("entry_id", "unknown_entry", "no such entry of yours"))?
                    .year
            }
            _ => b.occurred_on.as_deref().and_then(|d| d.get(0..4)).and_then(|y| y.parse().ok()).unwrap_or_default(),
        };
        let entry_id = if b.kind == "dispute" { b.entry_id } else { None };
        let id = store::insert(
            c,
            &NewAppeal {
                deputy_id: me,
                kind: &b.kind,
                entry_id,
                year,
                description: b.description.trim(),
                occurred_on: b.occurred_on.as_deref().filter(|_| b.kind == "missing"),
                status: "open",
                created_at: now,
            },
        )
        .map_err(|e| {
            if e.code == Code::AlreadyExists {
                AppError::conflict(Code::AppealOpen, "this entry already has an open appeal")
            } else {
                e
            }
        })?;
        Entry::by(&p, "ledger.appeal", "ledger_appeal", id.to_string()).detail(b.kind.clone()).write(c, now)?;
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        view(c, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// My appeals, oldest first.
#[utoipa::path(tag = "ledger", params(AppealQuery, PageQuery), responses((status = 200, body = Page<AppealView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/appeals")]
pub async fn mine(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<AppealQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<AppealView>>> {
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    let q = q.into_inner();
    let f = ListFilter {
        deputy: Some(me),
        status: q.status,
        year: q.year,
        scope: "/%".into(),
        after: pq.after()?,
        limit: pq.limit()?,
    };
    Ok(web::Json(db::run(&state.db, move |c| list(c, &f)).await?))
}

/// Appeals of deputies in scope, oldest first (congress staff).
#[utoipa::path(tag = "ledger", params(AppealQuery, PageQuery), responses((status = 200, body = Page<AppealView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/appeals")]
pub async fn queue(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<AppealQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<AppealView>>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "appeals are handled by congress staff"));
    }
    let q = q.into_inner();
    let (after, limit) = (pq.after()?, pq.limit()?);
    let v = db::run(&state.db, move |c| {
        let scope = crate::org::narrowed_filter(c, &p, Kind::Deputy, q.region_id)?;
        let f = ListFilter {
            deputy: None,
            status: q.status,
            year: q.year,
            scope: crate::org::scope_pattern(&scope),
            after,
            limit,
        };
        list(c, &f)
    })
    .await?;
    Ok(web::Json(v))
}

/// One appeal with its thread (its deputy, or staff in scope).
#[utoipa::path(tag = "ledger", params(("id" = i64, Path)), responses((status = 200, body = AppealView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/appeals/{id}")]
pub async fn one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<AppealView>> {
    let id = id.into_inner();
    Ok(web::Json(db::run(&state.db, move |c| load_for(c, &p, id, Action::Read).and_then(|(r, _)| view(c, r))).await?))
}

/// Add a message to an open appeal's thread (its deputy, or staff in scope).
#[utoipa::path(tag = "ledger", params(("id" = i64, Path)), request_body = MessageCreate, responses((status = 201, body = AppealView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/appeals/{id}/messages")]
pub async fn message(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<MessageCreate>,
) -> AppResult<HttpResponse> {
    let (id, text) = (id.into_inner(), body.into_inner().body);
    if let Some(e) = crate::org::rules::required_text("body", &text, 2000) {
        return Err(AppError::validation(vec![e]));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let action = if p.role == Role::Admin { Action::Write } else { Action::Read };
        let (row, _) = load_for(c, &p, id, action)?;
        if row.status != "open" {
            return Err(AppError::conflict(Code::AppealClosed, "the appeal is closed"));
        }
        store::add_message(c, id, p.account_id, &p.label(), text.trim(), now)?;
        view(c, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Resolve an open appeal: reverse the disputed entry, award a new entry, or reject, always with
/// a note (congress staff in scope).
#[utoipa::path(tag = "ledger", params(("id" = i64, Path)), request_body = Resolution, responses((status = 200, body = AppealView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/appeals/{id}/resolve")]
pub async fn resolve(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<Resolution>,
) -> AppResult<web::Json<AppealView>> {
    let (id, b) = (id.into_inner(), body.into_inner());
    if let Some(e) = crate::org::rules::required_text("note", &b.note, 2000) {
        return Err(AppError::validation(vec![e]));
    }
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "appeals are resolved by congress staff"));
    }
    let (tz, now) = (state.settings.tz, state.now());
    let v = db::tx(&state.db, move |c| {
        let (row, region) = load_for(c, &p, id, Action::Write)?;
        if row.status != "open" {
            return Err(AppError::conflict(Code::AppealClosed, "the appeal is already resolved"));
        }
        let (status, resolution, entry) = match (b.action.as_str(), row.entry_id) {
            ("reverse", Some(e)) => {
                ("resolved", "reversal", Some(service::reverse(c, e, &p.label(), b.note.trim(), tz, now)?.id))
            }
            ("reverse", None) => {
                return Err(AppError::invalid_field(
                    "action",
                    "nothing_to_reverse",
                    "only a dispute names an entry to reverse",
                ))
            }
            ("award", _) => {
                let code = b
                    .rule_code
                    .clone()
                    .ok_or_else(|| AppError::invalid_field("rule_code", "required", "the rule the activity earns"))?;
                let noon = row
                    .occurred_on
                    .as_deref()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .and_then(|d| d.and_hms_opt(12, 0, 0));
                let local_noon = noon.and_then(|n| tz.from_local_datetime(&n).earliest()).map(|t| t.naive_utc());
                let a = Award {
                    deputy_id: row.deputy_id,
                    rule_code: code,
                    points: None,
                    occurred_at: b.occurred_at.map(db::ts).or(local_noon).unwrap_or(now),
                    source_kind: "appeal".into(),
                    source_id: id.to_string(),
                    actor: p.label(),
                    reason: Some(b.note.trim().to_string()),
                    reverses: None,
                    direct: true,
                };
                ("resolved", "new_entry", Some(service::award(c, &a, tz, now)?.0.id))
            }
            ("reject", _) => ("rejected", "rejected", None),
            _ => return Err(AppError::invalid_field("action", "invalid_value", "reverse, award or reject")),
        };
        let how = store::Closing {
            status,
            resolution,
            resolution_note: b.note.trim(),
            result_entry_id: entry,
            resolved_by: p.account_id,
            resolved_at: now,
        };
        if !store::close(c, id, &how)? {
            return Err(AppError::conflict(Code::AppealClosed, "the appeal was resolved meanwhile"));
        }
        let d = crate::feed::data::AppealResolved {
            appeal_id: id,
            deputy_id: row.deputy_id,
            entry_id: row.entry_id,
            outcome: resolution.into(),
            result_entry_id: entry,
        };
        let path = region.as_deref().unwrap_or("/");
        crate::feed::emit(c, &[crate::feed::Event::appeal_resolved(&d, path, now)])?;
        Entry::by(&p, "ledger.appeal_resolve", "ledger_appeal", id.to_string())
            .region(region)
            .detail(resolution)
            .write(c, now)?;
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        view(c, row)
    })
    .await?;
    Ok(web::Json(v))
}
