//! Routes: following suggestions through — the lead unit asks for more time and staff decide;
//! deputies, staff and supervising leaders urge (催办, weighted 1 / 2 / 4) and staff see the most
//! urged first; B items (being solved) are tracked year after year until staff clear them (销号);
//! staff mark excellent suggestions (points, once).

use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::ledger::PointEvent;
use crate::state::AppState;
use crate::suggestions::model::{self, Stand, SuggestionView};
use crate::suggestions::step;
use crate::suggestions::store;
use actix_web::{get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SuggestionExtensionRequest)]
pub struct ExtensionRequest {
    /// Months more (1–6), counted from the current deadline.
    pub months: u32,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SuggestionExtensionDecision)]
pub struct ExtensionDecision {
    pub approve: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UrgeRequest {
    pub note: Option<String>,
    /// Staff urging on behalf of a key suggestion's supervising leader (weight 4).
    #[serde(default)]
    pub as_leader: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UrgedLine {
    pub suggestion: SuggestionView,
    /// Deputies count 1, staff 2, a supervising leader 4.
    pub weight: i64,
    pub urges: i64,
}

/// Ask for more time (the lead unit; staff decide).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = ExtensionRequest, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/extension")]
pub async fn request_extension(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ExtensionRequest>,
) -> AppResult<web::Json<SuggestionView>> {
    let b = body.into_inner();
    if !(1..=6).contains(&b.months) {
        return Err(AppError::invalid_field("months", "out_of_range", "1 to 6 months"));
    }
    if let Some(e) = crate::org::rules::required_text("reason", &b.reason, 1000) {
        return Err(AppError::validation(vec![e]));
    }
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Unit(true),
        "suggestion.extension_request",
        move |c, p, s, stand, now| {
            if s.status != "assigned" {
                return Err(AppError::conflict(
                    Code::IllegalTransition,
                    format!("a {} suggestion has no deadline to extend", s.status),
                ));
            }
            if s.extension_months.is_some() {
                return Err(AppError::conflict(Code::ExtensionPending, "an extension request is waiting for staff"));
            }
            store::request_extension(c, s.id, b.months as i32, b.reason.trim())?;
            let note = format!("extension of {} month(s) requested: {}", b.months, b.reason.trim());
            store::event(c, s.id, (Some(&s.status), &s.status), (p.account_id, stand.role()), Some(&note), now)
        },
    )
    .await
}

/// Approve or refuse the lead unit's request for more time (staff).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = ExtensionDecision, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/extension/decision")]
pub async fn decide_extension(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ExtensionDecision>,
) -> AppResult<web::Json<SuggestionView>> {
    let approve = body.approve;
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Staff,
        "suggestion.extension_decision",
        move |c, p, s, stand, now| {
            let months = s
                .extension_months
                .filter(|_| s.status == "assigned")
                .ok_or_else(|| AppError::conflict(Code::NoExtensionPending, "no extension request is waiting"))?;
            let due = match approve {
                true => Some(
                    s.due_at
                        .unwrap_or(now)
                        .checked_add_months(chrono::Months::new(months as u32))
                        .ok_or_else(|| AppError::internal("bad deadline"))?,
                ),
                false => None,
            };
            store::decide_extension(c, s.id, due)?;
            let note = if approve { "extension approved" } else { "extension refused" };
            store::event(c, s.id, (Some(&s.status), &s.status), (p.account_id, stand.role()), Some(note), now)
        },
    )
    .await
}

/// Urge the handling of a suggestion (author and co-signers weigh 1, staff 2, staff for a key
/// suggestion's supervising leader 4). Only while it is being handled.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = UrgeRequest, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/urge")]
pub async fn urge(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<UrgeRequest>,
) -> AppResult<web::Json<SuggestionView>> {
    let b = body.into_inner();
    let note = b.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::invalid_field("note", "too_long", "at most 500 characters"));
    }
    step(
        &state,
        p,
        id.into_inner(),
        |s| matches!(s, Stand::Author | Stand::Cosigner | Stand::Staff),
        "suggestion.urge",
        move |c, p, s, stand, now| {
            if !matches!(s.status.as_str(), "accepted" | "assigned") {
                return Err(AppError::conflict(
                    Code::IllegalTransition,
                    format!("a {} suggestion is not being handled", s.status),
                ));
            }
            let (role, weight) = match (stand, b.as_leader) {
                (Stand::Staff, true) if s.key_leader.is_some() => ("leader", 4),
                (Stand::Staff, true) => {
                    return Err(AppError::invalid_field(
                        "as_leader",
                        "not_key",
                        "only a key suggestion has a supervising leader",
                    ))
                }
                (Stand::Staff, false) => ("staff", 2),
                _ => ("deputy", 1),
            };
            store::add_urge(c, s.id, (p.account_id, role, weight), note.as_deref(), now)
        },
    )
    .await
}

/// The most urged suggestions of my congress and below, heaviest first (staff).
#[utoipa::path(tag = "suggestions", responses((status = 200, body = Vec<UrgedLine>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/suggestions/urged")]
pub async fn urged(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<UrgedLine>>> {
    let (pattern, now) = (crate::suggestions::staff_scope(&p)?, state.now());
    let v = db::run(&state.db, move |c| {
        let mut rows = store::urges(c, &pattern)?;
        rows.sort_by_key(|r| (std::cmp::Reverse(r.1.unwrap_or(0)), r.0));
        rows.truncate(100);
        let mut found: std::collections::HashMap<i64, store::SuggestionRow> =
            store::get_many(c, &rows.iter().map(|r| r.0).collect::<Vec<_>>())?.into_iter().map(|s| (s.id, s)).collect();
        Ok(rows
            .into_iter()
            .filter_map(|(id, w, n)| {
                found.remove(&id).map(|s| UrgedLine {
                    suggestion: model::view(s, now),
                    weight: w.unwrap_or(0),
                    urges: n,
                })
            })
            .collect())
    })
    .await?;
    Ok(web::Json(v))
}

/// B items (being solved) carried over and tracked until cleared, oldest first (staff).
#[utoipa::path(tag = "suggestions", responses((status = 200, body = Vec<SuggestionView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/suggestions/tracking")]
pub async fn tracking(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<SuggestionView>>> {
    let (pattern, now) = (crate::suggestions::staff_scope(&p)?, state.now());
    let rows = db::run(&state.db, move |c| store::tracking::tracking(c, &pattern, 500)).await?;
    Ok(web::Json(rows.into_iter().map(|s| model::view(s, now)).collect()))
}

/// Clear a tracked B item once it is solved (销号; it counts as A from then on).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/clear")]
pub async fn clear(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SuggestionView>> {
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Staff,
        "suggestion.clear",
        |c, p, s, stand, now| {
            let tracked = s.classification.as_deref() == Some("B")
                && s.cleared_at.is_none()
                && matches!(s.status.as_str(), "replied" | "evaluated");
            if !tracked {
                return Err(AppError::conflict(Code::IllegalTransition, "only a tracked B item can be cleared"));
            }
            store::set_cleared(c, s.id, now)?;
            store::event(
                c,
                s.id,
                (Some(&s.status), &s.status),
                (p.account_id, stand.role()),
                Some("cleared (B → A)"),
                now,
            )
        },
    )
    .await
}

/// Mark an excellent suggestion (staff); the author earns the bonus once.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/excellent")]
pub async fn excellent(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SuggestionView>> {
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Staff,
        "suggestion.excellent",
        |c, _, s, _, now| {
            if matches!(s.status.as_str(), "draft" | "submitted" | "returned" | "withdrawn" | "converted") {
                return Err(AppError::conflict(
                    Code::IllegalTransition,
                    format!("a {} suggestion cannot be marked excellent", s.status),
                ));
            }
            if !store::set_excellent(c, s.id)? {
                return Err(AppError::conflict(Code::AlreadyDecided, "already marked excellent"));
            }
            crate::ledger::note(
                c,
                PointEvent {
                    deputy: s.author_deputy_id,
                    kind: "suggestion_excellent",
                    source: ("suggestion", s.id),
                    at: now,
                },
                now,
            )
        },
    )
    .await
}
