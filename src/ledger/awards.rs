//! Awards through the API: direct awards for rules that need no review (idempotent by source),
//! and maker-checker proposals for manual bonuses and deductions — one staff member proposes,
//! another decides; the proposer cannot approve (403 `maker_checker`).

use super::posting::Award;
use super::service;
use super::store;
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::schema::ledger_proposals as lp;
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::platform::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The deputy must be in the caller's scope (404 otherwise); only congress staff award.
fn check_target(c: &mut AnyConnection, p: &Principal, deputy: i64) -> AppResult<Option<String>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff award points"));
    }
    let paths = crate::org::deputy_region_paths(c, deputy)?.ok_or_else(AppError::not_found)?;
    policy::authorize(p, Action::Write, &Target::many(Kind::Deputy, paths.clone()))?;
    Ok(paths.first().cloned())
}

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
#[utoipa::path(tag = "ledger", request_body = AwardRequest, responses((status = 201, body = super::model::EntryView), (status = 200, body = super::model::EntryView, description = "the existing entry for this source"), WriteErrors), security(("bearer" = [])))]
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
    let req = std::sync::Arc::new(super::direct::Request { principal: p, award, now, tz });
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

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub deputy_id: i64,
    pub rule_code: String,
    pub points: i32,
    pub reason: String,
    pub proposed_by: i64,
    /// pending, approved or rejected.
    pub status: String,
    pub decided_by: Option<i64>,
    pub decision_note: Option<String>,
    pub entry_id: Option<i64>,
    pub proposed_at: DateTime<Utc>,
}

type ProposalRow = (
    i64,
    i64,
    String,
    i32,
    String,
    NaiveDateTime,
    i64,
    NaiveDateTime,
    String,
    Option<i64>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<i64>,
);

fn proposal(c: &mut AnyConnection, id: i64) -> AppResult<Option<ProposalRow>> {
    Ok(lp::table.find(id).first(c).optional()?)
}

fn proposal_view(r: ProposalRow) -> ProposalView {
    ProposalView {
        id: r.0,
        deputy_id: r.1,
        rule_code: r.2,
        points: r.3,
        reason: r.4,
        proposed_by: r.6,
        proposed_at: utc(r.7),
        status: r.8,
        decided_by: r.9,
        decision_note: r.11,
        entry_id: r.12,
    }
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
        let day = tz.from_utc_datetime(&b.occurred_at.map(db::ts).unwrap_or(now)).format("%Y-%m-%d").to_string();
        let seats = crate::org::deputy_scopes(c, &[b.deputy_id])?;
        let path = crate::org::congress_path(seats.get(&b.deputy_id).map(Vec::as_slice).unwrap_or_default());
        let rule = store::rule_in_force(c, &b.rule_code, &path, &day)?
            .ok_or_else(|| AppError::invalid_field("rule_code", "unknown_rule", "no such rule in force"))?;
        if !rule.needs_review {
            return Err(AppError::invalid_field(
                "rule_code",
                "no_review_needed",
                "this rule is awarded directly: POST /api/v1/ledger/awards",
            ));
        }
        let id: i64 = diesel::insert_into(lp::table)
            .values((
                lp::deputy_id.eq(b.deputy_id),
                lp::rule_code.eq(&b.rule_code),
                lp::points.eq(b.points),
                lp::reason.eq(b.reason.trim()),
                lp::occurred_at.eq(b.occurred_at.map(db::ts).unwrap_or(now)),
                lp::proposed_by.eq(p.account_id),
                lp::proposed_at.eq(now),
                lp::status.eq("pending"),
            ))
            .returning(lp::id)
            .get_result(c)?;
        Entry::by(&p, "ledger.propose", "ledger_proposal", id.to_string()).region(region).write(c, now)?;
        Ok(proposal_view(proposal(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// An outcome of a recorded past event to put to maker-checker (see [`propose_outcome`]).
#[derive(Clone, Copy)]
pub struct EventOutcome<'a> {
    pub deputy: i64,
    /// `meeting_absent`, …: the kind of point event it would have been.
    pub outcome: &'a str,
    pub reason: &'a str,
    pub occurred_at: NaiveDateTime,
    /// The account that closed the event (the maker).
    pub proposer: i64,
}

/// Puts an outcome of a recorded past event (`meeting_absent`, …) to maker-checker instead of
/// posting it: a pending proposal of the rule's points in force for the deputy's congress on that
/// day, made by the proposer, which another staff member in scope decides. Answers the
/// proposal's id, or `None` when the outcome earns nothing (no rule in force).
pub fn propose_outcome(
    c: &mut AnyConnection,
    o: &EventOutcome,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
) -> AppResult<Option<i64>> {
    let EventOutcome { deputy, outcome, reason, occurred_at, proposer } = *o;
    let Some(code) = super::rules::rule_for_event(outcome) else { return Ok(None) };
    let day = tz.from_utc_datetime(&occurred_at).format("%Y-%m-%d").to_string();
    let seats = crate::org::deputy_scopes(c, &[deputy])?;
    let path = crate::org::congress_path(seats.get(&deputy).map(Vec::as_slice).unwrap_or_default());
    let Some(rule) = store::rule_in_force(c, code, &path, &day)? else { return Ok(None) };
    if rule.points == 0 {
        return Ok(None);
    }
    let id: i64 = diesel::insert_into(lp::table)
        .values((
            lp::deputy_id.eq(deputy),
            lp::rule_code.eq(code),
            lp::points.eq(rule.points),
            lp::reason.eq(reason),
            lp::occurred_at.eq(occurred_at),
            lp::proposed_by.eq(proposer),
            lp::proposed_at.eq(now),
            lp::status.eq("pending"),
        ))
        .returning(lp::id)
        .get_result(c)?;
    Ok(Some(id))
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
        let r = proposal(c, id)?.ok_or_else(AppError::not_found)?;
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
            Some(service::award(c, &a, tz, now)?.0.id)
        } else {
            None
        };
        let status = if d.approve { "approved" } else { "rejected" };
        diesel::update(lp::table.find(id))
            .set((
                lp::status.eq(status),
                lp::decided_by.eq(p.account_id),
                lp::decided_at.eq(now),
                lp::decision_note.eq(d.note.clone()),
                lp::entry_id.eq(entry_id),
            ))
            .execute(c)?;
        Entry::by(&p, "ledger.decide", "ledger_proposal", id.to_string())
            .region(region)
            .detail(status)
            .write(c, now)?;
        Ok(proposal_view(proposal(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await?;
    Ok(web::Json(v))
}
