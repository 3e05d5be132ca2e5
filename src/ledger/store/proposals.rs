//! SQL of maker-checker proposals (`ledger_proposals`): a manual bonus or deduction, or an
//! outcome of a past event, waiting for a second staff member's decision.

use crate::db::schema::ledger_proposals as lp;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A proposal as stored: (id, deputy, rule code, points, reason, occurred at, proposed by,
/// proposed at, status, decided by, decided at, decision note, entry id).
pub type ProposalRow = (
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

/// A pending proposal to store.
pub struct NewProposal<'a> {
    pub deputy_id: i64,
    pub rule_code: &'a str,
    pub points: i32,
    pub reason: &'a str,
    pub occurred_at: NaiveDateTime,
    pub proposed_by: i64,
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<ProposalRow>> {
    Ok(lp::table.find(id).first(c).optional()?)
}

/// Stores a pending proposal; its id.
pub fn insert(c: &mut AnyConnection, n: &NewProposal, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(lp::table)
        .values((
            lp::deputy_id.eq(n.deputy_id),
            lp::rule_code.eq(n.rule_code),
            lp::points.eq(n.points),
            lp::reason.eq(n.reason),
            lp::occurred_at.eq(n.occurred_at),
            lp::proposed_by.eq(n.proposed_by),
            lp::proposed_at.eq(now),
            lp::status.eq("pending"),
        ))
        .returning(lp::id)
        .get_result(c)?)
}

/// Records the decision (`approved` with the entry it posted, or `rejected`).
pub fn decide(
    c: &mut AnyConnection,
    id: i64,
    status: &str,
    by: i64,
    note: Option<&str>,
    entry_id: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(lp::table.find(id))
        .set((
            lp::status.eq(status),
            lp::decided_by.eq(by),
            lp::decided_at.eq(now),
            lp::decision_note.eq(note),
            lp::entry_id.eq(entry_id),
        ))
        .execute(c)?;
    Ok(())
}
