//! All SQL of paper ballot tallies: proposed by one member of staff, approved by another.

use crate::db::schema::duty_report_tallies as t;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (id, report, satisfied, basically satisfied, unsatisfied, status, proposed by).
pub type TallyRow = (i64, i64, i32, i32, i32, String, i64);

pub fn insert(
    c: &mut AnyConnection,
    report: i64,
    counts: (i32, i32, i32),
    by: i64,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(t::table)
        .values((
            t::report_id.eq(report),
            t::satisfied.eq(counts.0),
            t::basically_satisfied.eq(counts.1),
            t::unsatisfied.eq(counts.2),
            t::status.eq("proposed"),
            t::proposed_by.eq(by),
            t::created_at.eq(now),
        ))
        .returning(t::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, report: i64, id: i64) -> AppResult<Option<TallyRow>> {
    Ok(t::table
        .find(id)
        .filter(t::report_id.eq(report))
        .select((t::id, t::report_id, t::satisfied, t::basically_satisfied, t::unsatisfied, t::status, t::proposed_by))
        .first(c)
        .optional()?)
}

/// Approves a proposed tally (false when it was decided meanwhile).
pub fn approve(c: &mut AnyConnection, id: i64, by: i64, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(t::table.find(id).filter(t::status.eq("proposed")))
        .set((t::status.eq("approved"), t::approved_by.eq(by), t::decided_at.eq(now)))
        .execute(c)?
        == 1)
}

/// The approved paper ballots of a report, by verdict, as (verdict, count) rows.
pub fn approved_counts(c: &mut AnyConnection, report: i64) -> AppResult<Vec<(String, i64)>> {
    let rows: Vec<(i32, i32, i32)> = t::table
        .filter(t::report_id.eq(report))
        .filter(t::status.eq("approved"))
        .select((t::satisfied, t::basically_satisfied, t::unsatisfied))
        .load(c)?;
    let sum = |f: fn(&(i32, i32, i32)) -> i32| rows.iter().map(|r| i64::from(f(r))).sum::<i64>();
    Ok(vec![
        ("satisfied".into(), sum(|r| r.0)),
        ("basically_satisfied".into(), sum(|r| r.1)),
        ("unsatisfied".into(), sum(|r| r.2)),
    ])
}
