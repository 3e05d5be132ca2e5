//! SQL of following suggestions over time: the tracking list, what was submitted in a period, the
//! published replies, and the overdue ones to remind.

use super::SuggestionRow;
use crate::db::schema::{suggestion_units as su, suggestions as s};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// B items (being solved) carried over: rated, not yet cleared, oldest first.
pub fn tracking(c: &mut AnyConnection, pattern: &str, limit: i64) -> AppResult<Vec<SuggestionRow>> {
    Ok(s::table
        .filter(s::region_path.like(pattern.to_string()))
        .filter(s::classification.eq("B"))
        .filter(s::status.eq_any(["replied", "evaluated"]))
        .filter(s::cleared_at.is_null())
        .order(s::id)
        .limit(limit)
        .load(c)?)
}

/// Suggestions submitted in [from, to) under a region pattern (for statistics).
pub fn submitted_between(
    c: &mut AnyConnection,
    pattern: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<SuggestionRow>> {
    Ok(s::table
        .filter(s::region_path.like(pattern.to_string()))
        .filter(s::submitted_at.ge(from))
        .filter(s::submitted_at.lt(to))
        .load(c)?)
}

/// Replies the authors agreed to publish, newest first.
pub fn published(c: &mut AnyConnection, before: i64, limit: i64) -> AppResult<Vec<SuggestionRow>> {
    let before = if before > 0 { before } else { i64::MAX };
    Ok(s::table
        .filter(s::publish_consent.eq(true))
        .filter(s::status.eq_any(["replied", "evaluated"]))
        .filter(s::id.lt(before))
        .order(s::id.desc())
        .limit(limit + 1)
        .load(c)?)
}

/// Assigned suggestions past their deadline whose lead unit was not texted since `before`:
/// (id, title, lead unit).
pub fn overdue_unreminded(
    c: &mut AnyConnection,
    now: NaiveDateTime,
    before: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<(i64, String, Option<i64>)>> {
    let lead =
        su::table.filter(su::suggestion_id.eq(s::id)).filter(su::role.eq("lead")).select(su::unit_id).single_value();
    Ok(s::table
        .filter(s::status.eq("assigned"))
        .filter(s::due_at.lt(now))
        .filter(s::reminded_at.is_null().or(s::reminded_at.lt(before)))
        .order(s::due_at)
        .limit(limit)
        .select((s::id, s::title, lead))
        .load(c)?)
}

pub fn set_reminded(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id)).set(s::reminded_at.eq(now)).execute(c)?;
    Ok(())
}
