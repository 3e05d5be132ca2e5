//! Award routes: direct awards (idempotent by source), maker-checker proposals and their
//! decisions (the proposer cannot approve: 403 `maker_checker`), and reversals.

use super::consume;
use super::direct::Request;
use super::posting::Award;
use super::proposals::{self, check_target, ProposalView};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::ledger::model::{EntryView, ReversalRequest};
use crate::ledger::statements::statement;
use crate::ledger::store::proposals::NewProposal;
use crate::platform::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardRequest {
    pub deputy_id: i64,
    pub rule_code: String,
    /// What earned it, e.g. `suggestion`, `training`, `opinion_reply`.
    pub source_kind: String,
    pub source_id: String,
    /// Default: now.
    pub occurred_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
}

/// Award points under a rule that needs no review. The same source for the same rule returns the
/// existing entry (200) instead of a second one (201 when created).
#[utoipa::path(tag = "ledger", request_body = AwardRequest, responses((status = 201, body = EntryView), (status = 200, body = EntryView, description = "the existing entry for this source"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/ledger/awards")]
pub async fn award(state: web::Data<AppState>, p: Principal, body: web::Json<AwardRequest>) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let valid_kind = !b.source_kind.is_empty()
        && b.source_kind.len() <= 40
        && b.source_kind.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    if !valid_kind
        || matches!(b.source_kind.as_str(), "checkin" | "event" | "duty_slot" | "reversal" | "manual" | "appeal")
    {
        return Err(AppError::invalid_field(
            "source_kind",
            "invalid_value",
            "a lowercase source kind not reserved for automatic awards",
        ));
    }
    if b.source_id.trim().is_empty() || b.source_id.len() > 100 {
        return Err(AppError::invalid_field("source_id", "required", "1–100 characters"));
    }
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff award points"));
    }
    let (tz, now) = (state.settings.tz, state.now());
    let award = Award {
        deputy_id: b.deputy_id,
        rule_code: b.rule_code,
        points: None,
        occurred_at: b.occurred_at.map(db::ts).unwrap_or(now),
        source_kind: b.source_kind,
        source_id: b.source_id.trim().to_string(),
        actor: p.label(),
        reason: b.reason,
        reverses: None,
        direct: true,
    };
    let req = std::sync::Arc::new(Request { principal: p, award, now, tz });
    let (view, created) = state.award_writes.submit(req).await?;
    Ok(Answer::json(if created { StatusCode::CREATED } else { StatusCode::OK }, &view)?.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    pub deputy_id: i64,
    /// A rule that needs review (`manual_bonus`, `manual_deduction`).
    pub rule_code: String,
    /// Positive for a bonus, negative for a deduction; at most 30 either way.
    pub points: i32,
    pub reason: String,
    pub occurred_at: Option<DateTime<Utc>>,
}

/// Propose a manual bonus or deduction (the maker); another staff member decides.
#[utoipa::path(tag = "ledger", request_body = ProposalRequest, responses((status = 201, body = ProposalView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/ledger/proposals")]
pub async fn propose(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<ProposalRequest>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let mut errs = vec![];
    if b.points == 0 || b.points.unsigned_abs() > 30 {
        errs.push(FieldError::new("points", "out_of_range", "non-zero, at most 30 either way"));
    }
    errs.extend(crate::org::rules::required_text("reason", &b.reason, 1000));
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let (tz, now) = (state.settings.tz, state.now());
    let v = db::tx(&state.db, move |c| {
        let region = check_target(c, &p, b.deputy_id)?;
        let occurred_at = b.occurred_at.map(db::ts).unwrap_or(now);
        let rule = proposals::rule_for(c, b.deputy_id, &b.rule_code, occurred_at, tz)?
            .ok_or_else(|| AppError::invalid_field("rule_code", "unknown_rule", "no such rule in force"))?;
        if !rule.needs_review {
            return Err(AppError::invalid_field(
                "rule_code",
                "no_review_needed",
                "this rule is awarded directly: POST /api/v1/ledger/awards",
            ));
        }
        let n = NewProposal {
            deputy_id: b.deputy_id,
            rule_code: &b.rule_code,
            points: b.points,
            reason: b.reason.trim(),
            occurred_at,
            proposed_by: p.account_id,
        };
        let id = crate::ledger::store::proposals::insert(c, &n, now)?;
        Entry::by(&p, "ledger.propose", "ledger_proposal", id.to_string()).region(region).write(c, now)?;
        proposals::view(c, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub approve: bool,
    pub note: Option<String>,
}

/// Approve or reject a proposal (the checker: anyone in scope but the proposer).
#[utoipa::path(tag = "ledger", params(("id" = i64, Path)), request_body = Decision, responses((status = 200, body = ProposalView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/ledger/proposals/{id}/decide")]
pub async fn decide(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<Decision>,
) -> AppResult<web::Json<ProposalView>> {
    let (id, d) = (id.into_inner(), body.into_inner());
    if !d.approve && d.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(AppError::invalid_field("note", "required", "say why the proposal is rejected"));
    }
    let (tz, now) = (state.settings.tz, state.now());
    let v = db::tx(&state.db, move |c| {
        let r = proposals::load(c, id)?;
        let region = check_target(c, &p, r.1)?;
        if r.6 == p.account_id {
            return Err(AppError::forbidden(Code::MakerChecker, "the proposer cannot decide their own proposal"));
        }
        if r.8 != "pending" {
            return Err(AppError::conflict(Code::AlreadyDecided, format!("the proposal is {}", r.8)));
        }
        let entry_id = if d.approve {
            let a = Award {
                deputy_id: r.1,
                rule_code: r.2.clone(),
                points: Some(r.3),
                occurred_at: r.5,
                source_kind: "manual".into(),
                source_id: id.to_string(),
                actor: p.label(),
                reason: Some(r.4.clone()),
                reverses: None,
                direct: false,
            };
            Some(consume::award(c, &a, tz, now)?.0.id)
        } else {
            None
        };
        let status = if d.approve { "approved" } else { "rejected" };
        crate::ledger::store::proposals::decide(c, id, status, p.account_id, d.note.as_deref(), entry_id, now)?;
        Entry::by(&p, "ledger.decide", "ledger_proposal", id.to_string())
            .region(region)
            .detail(status)
            .write(c, now)?;
        proposals::view(c, id)
    })
    .await?;
    Ok(web::Json(v))
}

/// Reverse an entry with a linked opposite entry (admins in scope); nothing is edited.
#[utoipa::path(tag = "ledger", params(("id" = i64, Path)), request_body = ReversalRequest, responses((status = 201, body = EntryView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/ledger/entries/{id}/reverse")]
pub async fn reverse(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ReversalRequest>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.into_inner().reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::invalid_field("reason", "required", "say why the entry is reversed"));
    }
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff correct the ledger"));
    }
    let (tz, now, cache) = (state.settings.tz, state.now(), state.ledger.clone());
    let e = db::tx(&state.db, move |c| {
        // A missing entry answers exactly like one outside the caller's scope: 404.
        let orig = crate::ledger::store::entry(c, id)?.ok_or_else(AppError::not_found)?;
        let paths = crate::org::deputy_region_paths(c, orig.deputy_id)?.unwrap_or_default();
        policy::authorize(&p, Action::Write, &Target::many(Kind::Deputy, paths.clone()))?;
        let rev = consume::reverse(c, id, &p.label(), &reason, tz, now)?;
        Entry::by(&p, "ledger.reverse", "ledger_entry", id.to_string())
            .region(paths.first().cloned())
            .detail(format!("reversal={}", rev.id))
            .write(c, now)?;
        let year = rev.year;
        statement(c, &cache, rev.deputy_id, year)?
            .entries
            .into_iter()
            .find(|v| v.id == rev.id)
            .ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(HttpResponse::Created().json(e))
}
