//! SQL of the secret ballot. Who voted (`project_participation`: round, deputy, channel — no
//! time) and what was voted are kept apart: while the vote is open a ballot is one sealed blob
//! (receipt and choices) in `project_pending_ballots`, with no deputy and no time; at closing
//! they are opened, shuffled and written to `project_ballots` (receipt, choices) in that order,
//! and the pending rows deleted. Paper tallies (maker-checker) are here too.

use crate::db::schema::{
    project_ballots as b, project_paper_tallies as t, project_participation as pp, project_pending_ballots as pb,
};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Records that `deputy` voted in `round` through `channel` (app or paper); false when they
/// had already (nothing written).
pub fn participate(c: &mut AnyConnection, round: i64, deputy: i64, channel: &str) -> AppResult<bool> {
    let n = crate::per_backend!(&mut *c, |x| diesel::insert_into(pp::table)
        .values((pp::round_id.eq(round), pp::deputy_id.eq(deputy), pp::channel.eq(channel)))
        .on_conflict_do_nothing()
        .execute(x))?;
    Ok(n == 1)
}

pub fn has_voted(c: &mut AnyConnection, round: i64, deputy: i64) -> AppResult<bool> {
    let n: i64 = pp::table.filter(pp::round_id.eq(round)).filter(pp::deputy_id.eq(deputy)).count().get_result(c)?;
    Ok(n > 0)
}

/// How many voted through `channel`.
pub fn voters(c: &mut AnyConnection, round: i64, channel: &str) -> AppResult<i64> {
    Ok(pp::table.filter(pp::round_id.eq(round)).filter(pp::channel.eq(channel)).count().get_result(c)?)
}

/// Keeps a sealed ballot until the vote closes.
pub fn hold(c: &mut AnyConnection, round: i64, sealed: &str) -> AppResult<()> {
    diesel::insert_into(pb::table).values((pb::round_id.eq(round), pb::sealed.eq(sealed))).execute(c)?;
    Ok(())
}

/// The sealed ballots held for a round.
pub fn held(c: &mut AnyConnection, round: i64) -> AppResult<Vec<String>> {
    Ok(pb::table.filter(pb::round_id.eq(round)).select(pb::sealed).load(c)?)
}

/// Writes the round's ballots in the order given (already shuffled) and drops the held ones.
pub fn settle(c: &mut AnyConnection, round: i64, ballots: &[(String, String)]) -> AppResult<()> {
    for chunk in ballots.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(receipt, choices)| (b::receipt.eq(receipt), b::round_id.eq(round), b::choices.eq(choices)))
            .collect();
        crate::per_backend!(&mut *c, |x| diesel::insert_into(b::table).values(&rows).execute(x))?;
    }
    diesel::delete(pb::table.filter(pb::round_id.eq(round))).execute(c)?;
    Ok(())
}

/// The round's settled ballots (receipt, choices), by receipt.
pub fn ballots(c: &mut AnyConnection, round: i64) -> AppResult<Vec<(String, String)>> {
    Ok(b::table.filter(b::round_id.eq(round)).order(b::receipt).select((b::receipt, b::choices)).load(c)?)
}

/// (id, round, ballots, counts JSON, status, proposed by, approved by).
pub type TallyRow = (i64, i64, i32, String, String, i64, Option<i64>);

pub fn propose_tally(
    c: &mut AnyConnection,
    round: i64,
    ballots: i32,
    counts: &str,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(t::table)
        .values((
            t::round_id.eq(round),
            t::ballots.eq(ballots),
            t::counts.eq(counts),
            t::status.eq("proposed"),
            t::proposed_by.eq(by),
            t::created_at.eq(now),
        ))
        .returning(t::id)
        .get_result(c)?)
}

pub fn tally(c: &mut AnyConnection, round: i64, id: i64) -> AppResult<Option<TallyRow>> {
    Ok(t::table
        .filter(t::round_id.eq(round))
        .filter(t::id.eq(id))
        .select((t::id, t::round_id, t::ballots, t::counts, t::status, t::proposed_by, t::approved_by))
        .first(c)
        .optional()?)
}

/// Approves a proposed tally (false: decided already).
pub fn approve_tally(c: &mut AnyConnection, id: i64, by: i64, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(t::table.find(id).filter(t::status.eq("proposed")))
        .set((t::status.eq("approved"), t::approved_by.eq(by), t::decided_at.eq(now)))
        .execute(c)?;
    Ok(n == 1)
}

/// The round's tallies with `status`.
pub fn tallies(c: &mut AnyConnection, round: i64, status: &str) -> AppResult<Vec<TallyRow>> {
    Ok(t::table
        .filter(t::round_id.eq(round))
        .filter(t::status.eq(status))
        .order(t::id)
        .select((t::id, t::round_id, t::ballots, t::counts, t::status, t::proposed_by, t::approved_by))
        .load(c)?)
}
