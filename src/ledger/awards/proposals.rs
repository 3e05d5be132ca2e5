//! Maker-checker proposals: who may propose or decide an award for a deputy, the view of a
//! proposal, and outcomes of past events put to a decision instead of posted.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::ledger::store::proposals::{self, NewProposal, ProposalRow};
use crate::ledger::store::{self as ledger_store};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// The deputy must be in the caller's scope (404 otherwise); only congress staff award.
pub fn check_target(c: &mut AnyConnection, p: &Principal, deputy: i64) -> AppResult<Option<String>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff award points"));
    }
    let paths = crate::org::deputy_region_paths(c, deputy)?.ok_or_else(AppError::not_found)?;
    policy::authorize(p, Action::Write, &Target::many(Kind::Deputy, paths.clone()))?;
    Ok(paths.first().cloned())
}

/// The stored proposal `id` (404 when there is none).
pub fn load(c: &mut AnyConnection, id: i64) -> AppResult<ProposalRow> {
    proposals::get(c, id)?.ok_or_else(AppError::not_found)
}

pub fn view(c: &mut AnyConnection, id: i64) -> AppResult<ProposalView> {
    let r = load(c, id)?;
    Ok(ProposalView {
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
    })
}

/// The rule `code` in force on `at`'s day (in `tz`) in the deputy's congress.
pub fn rule_for(
    c: &mut AnyConnection,
    deputy: i64,
    code: &str,
    at: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> AppResult<Option<ledger_store::RuleRow>> {
    let day = tz.from_utc_datetime(&at).format("%Y-%m-%d").to_string();
    let seats = crate::org::deputy_scopes(c, &[deputy])?;
    let path = crate::org::congress_path(seats.get(&deputy).map(Vec::as_slice).unwrap_or_default());
    ledger_store::rule_in_force(c, code, &path, &day)
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
    let Some(code) = crate::ledger::rules::rule_for_event(outcome) else { return Ok(None) };
    let Some(rule) = rule_for(c, deputy, code, occurred_at, tz)? else { return Ok(None) };
    if rule.points == 0 {
        return Ok(None);
    }
    let n = NewProposal {
        deputy_id: deputy,
        rule_code: code,
        points: rule.points,
        reason,
        occurred_at,
        proposed_by: proposer,
    };
    Ok(Some(proposals::insert(c, &n, now)?))
}
