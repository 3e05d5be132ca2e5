//! All SQL of the holiday calendar (days off and make-up working days).

use crate::db::schema::calendar_days as cd;
use crate::db::AnyConnection;
use crate::error::AppResult;
use diesel::prelude::*;

/// (day, working) of the calendar's days between `from` and `to` (ISO dates, both included).
pub fn between(c: &mut AnyConnection, from: &str, to: &str) -> AppResult<Vec<(String, bool)>> {
    Ok(cd::table.filter(cd::day.ge(from)).filter(cd::day.le(to)).select((cd::day, cd::working)).load(c)?)
}

/// (day, working, name) of a year's calendar days, in order.
pub fn of_year(c: &mut AnyConnection, year: i32) -> AppResult<Vec<(String, bool, String)>> {
    Ok(cd::table
        .filter(cd::day.like(format!("{year}-%")))
        .order(cd::day)
        .select((cd::day, cd::working, cd::name))
        .load(c)?)
}

/// Sets one day (a holiday or a make-up working day).
pub fn set(c: &mut AnyConnection, day: &str, working: bool, name: &str) -> AppResult<()> {
    let row = (cd::day.eq(day), cd::working.eq(working), cd::name.eq(name));
    crate::per_backend!(&mut *c, |x| diesel::insert_into(cd::table)
        .values(row)
        .on_conflict(cd::day)
        .do_update()
        .set((cd::working.eq(working), cd::name.eq(name)))
        .execute(x))?;
    Ok(())
}

/// Removes a day; false when it was not in the calendar.
pub fn remove(c: &mut AnyConnection, day: &str) -> AppResult<bool> {
    Ok(diesel::delete(cd::table.find(day)).execute(c)? == 1)
}
