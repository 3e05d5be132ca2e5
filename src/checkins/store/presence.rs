//! SQL of who is at a station now: deputies checked in (accepted, not yet out).

use crate::db::schema::checkins as c;
use crate::db::AnyConnection;
use crate::error::AppResult;
use diesel::prelude::*;

/// Whether a deputy is checked in (accepted, not yet out) at a station now.
pub fn is_checked_in(conn: &mut AnyConnection, deputy: i64, station: i64) -> AppResult<bool> {
    let n: i64 = c::table
        .filter(c::deputy_id.eq(deputy))
        .filter(c::station_id.eq(station))
        .filter(c::status.eq("accepted"))
        .filter(c::checked_out_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Whether `deputy` checked in to `event` (accepted).
pub fn checked_in_to(conn: &mut AnyConnection, event: i64, deputy: i64) -> AppResult<bool> {
    let n: i64 = c::table
        .filter(c::deputy_id.eq(deputy))
        .filter(c::event_id.eq(event))
        .filter(c::status.eq("accepted"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The deputy checked in at a station most lately (accepted, not yet out).
pub fn present_at(conn: &mut AnyConnection, station: i64) -> AppResult<Option<i64>> {
    Ok(c::table
        .filter(c::station_id.eq(station))
        .filter(c::status.eq("accepted"))
        .filter(c::checked_out_at.is_null())
        .order(c::checked_in_at.desc())
        .select(c::deputy_id)
        .first(conn)
        .optional()?)
}

/// Events held at a station overlapping `from..to`: (id, kind, title, starts, ends).
pub type EventBrief = (i64, String, String, chrono::NaiveDateTime, chrono::NaiveDateTime);

pub fn events_at(
    conn: &mut AnyConnection,
    station: i64,
    from: chrono::NaiveDateTime,
    to: chrono::NaiveDateTime,
) -> AppResult<Vec<EventBrief>> {
    use crate::db::schema::events as e;
    Ok(e::table
        .filter(e::station_id.eq(station))
        .filter(e::ends_at.gt(from))
        .filter(e::starts_at.lt(to))
        .order(e::starts_at)
        .select((e::id, e::kind, e::title, e::starts_at, e::ends_at))
        .load(conn)?)
}
