//! SQL of a deputy's suggestions as the public sees them in a yearly summary: how many ended how.

use crate::db::schema::suggestions as s;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (status, satisfaction, count) of the suggestions a deputy submitted in `[from, to)`.
pub fn of_author(
    c: &mut AnyConnection,
    deputy: i64,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> AppResult<Vec<(String, Option<String>, i64)>> {
    Ok(s::table
        .filter(s::author_deputy_id.eq(deputy))
        .filter(s::submitted_at.ge(from))
        .filter(s::submitted_at.lt(to))
        .group_by((s::status, s::satisfaction))
        .select((s::status, s::satisfaction, diesel::dsl::count_star()))
        .order((s::status, s::satisfaction))
        .load(c)?)
}
