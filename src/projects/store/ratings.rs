//! SQL of the year-end assessment's secret: who rated (`project_assessors`: round, deputy — no
//! time) is kept apart from what was rated — a sheet is sealed with its receipt in
//! `project_pending_ratings` (no deputy, no time) while the assessment is open, and written
//! shuffled to `project_ratings` when it closes; the same separation as the ballots.

use crate::db::schema::{project_assessors as a, project_pending_ratings as pr, project_ratings as rt};
use crate::db::AnyConnection;
use crate::error::AppResult;
use diesel::prelude::*;

/// Records that `deputy` rated the round's projects (false: they had already).
pub fn take_part(c: &mut AnyConnection, round: i64, deputy: i64) -> AppResult<bool> {
    let n = crate::per_backend!(&mut *c, |x| diesel::insert_into(a::table)
        .values((a::round_id.eq(round), a::deputy_id.eq(deputy)))
        .on_conflict_do_nothing()
        .execute(x))?;
    Ok(n == 1)
}

pub fn has_rated(c: &mut AnyConnection, round: i64, deputy: i64) -> AppResult<bool> {
    let n: i64 = a::table.filter(a::round_id.eq(round)).filter(a::deputy_id.eq(deputy)).count().get_result(c)?;
    Ok(n > 0)
}

pub fn hold(c: &mut AnyConnection, round: i64, sealed: &str) -> AppResult<()> {
    diesel::insert_into(pr::table).values((pr::round_id.eq(round), pr::sealed.eq(sealed))).execute(c)?;
    Ok(())
}

pub fn held(c: &mut AnyConnection, round: i64) -> AppResult<Vec<String>> {
    Ok(pr::table.filter(pr::round_id.eq(round)).select(pr::sealed).load(c)?)
}

/// Writes the sheets in the order given (already shuffled) and drops the held ones.
pub fn settle(c: &mut AnyConnection, round: i64, sheets: &[(String, String)]) -> AppResult<()> {
    for chunk in sheets.chunks(500) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(receipt, choices)| (rt::receipt.eq(receipt), rt::round_id.eq(round), rt::choices.eq(choices)))
            .collect();
        crate::per_backend!(&mut *c, |x| diesel::insert_into(rt::table).values(&rows).execute(x))?;
    }
    diesel::delete(pr::table.filter(pr::round_id.eq(round))).execute(c)?;
    Ok(())
}

/// The settled sheets (receipt, choices), by receipt.
pub fn sheets(c: &mut AnyConnection, round: i64) -> AppResult<Vec<(String, String)>> {
    Ok(rt::table.filter(rt::round_id.eq(round)).order(rt::receipt).select((rt::receipt, rt::choices)).load(c)?)
}
