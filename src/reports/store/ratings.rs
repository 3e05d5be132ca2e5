//! All SQL of the ratings given at a report's session: one per person, counted by verdict.

use crate::db::schema::duty_report_ratings as k;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stores a rating; false when this person already rated the report.
pub fn insert(
    c: &mut AnyConnection,
    report: i64,
    constituent: i64,
    verdict: &str,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let row = (
        k::report_id.eq(report),
        k::constituent_id.eq(constituent),
        k::verdict.eq(verdict),
        k::comment.eq(comment),
        k::created_at.eq(now),
    );
    let n = crate::per_backend!(&mut *c, |x| diesel::insert_into(k::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(x))?;
    Ok(n == 1)
}

/// (verdict, count) of a report's ratings.
pub fn counts(c: &mut AnyConnection, report: i64) -> AppResult<Vec<(String, i64)>> {
    Ok(k::table
        .filter(k::report_id.eq(report))
        .group_by(k::verdict)
        .select((k::verdict, diesel::dsl::count_star()))
        .load(c)?)
}

/// The comments given with a report's ratings, oldest first: (verdict, comment, when).
pub fn comments(c: &mut AnyConnection, report: i64) -> AppResult<Vec<(String, String, NaiveDateTime)>> {
    let rows: Vec<(String, Option<String>, NaiveDateTime)> = k::table
        .filter(k::report_id.eq(report))
        .filter(k::comment.is_not_null())
        .order(k::created_at)
        .limit(1000)
        .select((k::verdict, k::comment, k::created_at))
        .load(c)?;
    Ok(rows.into_iter().filter_map(|(v, c, at)| c.map(|c| (v, c, at))).collect())
}
