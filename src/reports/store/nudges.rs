//! SQL of the due-year notices: who has a report scheduled since a date, and who was told this
//! year already (`duty_report_nudges`, once per deputy and year).

use crate::db::schema::{duty_report_nudges as n, duty_reports as r};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashSet;

/// Those of `deputies` with a report scheduled (for any date) or given since `since`.
pub fn scheduled_since(c: &mut AnyConnection, deputies: &[i64], since: NaiveDateTime) -> AppResult<HashSet<i64>> {
    let mut out = HashSet::new();
    for chunk in deputies.chunks(500) {
        let rows: Vec<i64> = r::table
            .filter(r::deputy_id.eq_any(chunk))
            .filter(r::scheduled_for.ge(since))
            .select(r::deputy_id)
            .load(c)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Those told in `year` already.
pub fn nudged(c: &mut AnyConnection, year: i32) -> AppResult<HashSet<i64>> {
    Ok(n::table.filter(n::year.eq(year)).select(n::deputy_id).load::<i64>(c)?.into_iter().collect())
}

/// Records that `deputy` was told in `year`.
pub fn mark(c: &mut AnyConnection, deputy: i64, year: i32, now: NaiveDateTime) -> AppResult<()> {
    diesel::insert_into(n::table).values((n::deputy_id.eq(deputy), n::year.eq(year), n::sent_at.eq(now))).execute(c)?;
    Ok(())
}
