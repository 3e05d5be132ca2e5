//! All SQL of attendance at meetings: approved leave, the outcome of each invitee, and closing.

use crate::db::schema::{checkins as c, event_invitees as ei, events as e};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Marks an invitee's leave approved; false when the deputy is not invited.
pub fn approve_leave(conn: &mut AnyConnection, event: i64, deputy: i64) -> AppResult<bool> {
    Ok(diesel::update(ei::table.filter(ei::event_id.eq(event)).filter(ei::deputy_id.eq(deputy)))
        .set(ei::leave_approved.eq(true))
        .execute(conn)?
        == 1)
}

/// When a meeting was created and when it starts (None: no such meeting).
pub fn created_and_starts(conn: &mut AnyConnection, event: i64) -> AppResult<Option<(NaiveDateTime, NaiveDateTime)>> {
    Ok(e::table.find(event).select((e::created_at, e::starts_at)).first(conn).optional()?)
}

/// Whether the deputy has an accepted check-in at the meeting.
pub fn attended(conn: &mut AnyConnection, event: i64, deputy: i64) -> AppResult<bool> {
    Ok(c::table
        .filter(c::event_id.eq(event))
        .filter(c::deputy_id.eq(deputy))
        .filter(c::status.eq("accepted"))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Records an invitee's final attendance (`attended`, `excused`, `absent`).
pub fn set_attendance(conn: &mut AnyConnection, event: i64, deputy: i64, outcome: &str) -> AppResult<()> {
    diesel::update(ei::table.filter(ei::event_id.eq(event)).filter(ei::deputy_id.eq(deputy)))
        .set(ei::attendance.eq(outcome))
        .execute(conn)?;
    Ok(())
}

/// Closes a meeting.
pub fn close(conn: &mut AnyConnection, event: i64, at: NaiveDateTime) -> AppResult<()> {
    diesel::update(e::table.find(event)).set(e::closed_at.eq(at)).execute(conn)?;
    Ok(())
}

/// Per deputy, how many events of `kind` of congresses under `path`, starting in [from, to),
/// they attended (the final attendance recorded at closing).
pub fn attended_counts(
    conn: &mut AnyConnection,
    kind: &str,
    path: &str,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> AppResult<std::collections::HashMap<i64, i64>> {
    use diesel::dsl::count_star;
    let regions = crate::org::region_ids_in(conn, path)?;
    let rows: Vec<(i64, i64)> = ei::table
        .inner_join(e::table.on(e::id.eq(ei::event_id)))
        .filter(e::kind.eq(kind))
        .filter(e::region_id.eq_any(regions))
        .filter(e::starts_at.ge(from))
        .filter(e::starts_at.lt(to))
        .filter(ei::attendance.eq("attended"))
        .group_by(ei::deputy_id)
        .select((ei::deputy_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
