//! All SQL of the duty roster: reception slots, the deputies on duty in them, and settling.

use crate::db::schema::{checkins as c, duty_assignments as da, duty_slots as ds};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (id, station, starts, ends, note, version) of a slot.
pub type SlotRow = (i64, i64, NaiveDateTime, NaiveDateTime, Option<String>, i64);

/// A station's slots overlapping [from, to), by start.
pub fn slots_between(
    conn: &mut AnyConnection,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<SlotRow>> {
    Ok(ds::table
        .filter(ds::station_id.eq(station))
        .filter(ds::cancelled_at.is_null())
        .filter(ds::ends_at.gt(from))
        .filter(ds::starts_at.lt(to))
        .order(ds::starts_at)
        .select((ds::id, ds::station_id, ds::starts_at, ds::ends_at, ds::note, ds::version))
        .load(conn)?)
}

/// The slots a deputy is on duty in, at any station, overlapping `from..to`.
pub fn deputy_slots_between(
    conn: &mut AnyConnection,
    deputy: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<SlotRow>> {
    Ok(ds::table
        .inner_join(da::table)
        .filter(da::deputy_id.eq(deputy))
        .filter(ds::cancelled_at.is_null())
        .filter(ds::ends_at.gt(from))
        .filter(ds::starts_at.lt(to))
        .order(ds::starts_at)
        .select((ds::id, ds::station_id, ds::starts_at, ds::ends_at, ds::note, ds::version))
        .load(conn)?)
}

/// (slot, deputy, outcome) of the deputies on duty in these slots.
pub fn assignments(conn: &mut AnyConnection, slots: &[i64]) -> AppResult<Vec<(i64, i64, Option<String>)>> {
    Ok(da::table.filter(da::slot_id.eq_any(slots)).select((da::slot_id, da::deputy_id, da::outcome)).load(conn)?)
}

/// (station, deputy) on duty at these stations from `now` to a week ahead, soonest first.
pub fn on_duty_from(conn: &mut AnyConnection, stations: &[i64], now: NaiveDateTime) -> AppResult<Vec<(i64, i64)>> {
    Ok(da::table
        .inner_join(ds::table)
        .filter(ds::station_id.eq_any(stations))
        .filter(ds::cancelled_at.is_null())
        .filter(ds::ends_at.gt(now))
        .filter(ds::starts_at.lt(now + chrono::Duration::days(7)))
        .order((ds::starts_at, ds::id, da::deputy_id))
        .select((ds::station_id, da::deputy_id))
        .load(conn)?)
}

/// (station, starts, ends) of a slot that is not cancelled.
pub fn slot_times(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(i64, NaiveDateTime, NaiveDateTime)>> {
    Ok(ds::table
        .find(id)
        .filter(ds::cancelled_at.is_null())
        .select((ds::station_id, ds::starts_at, ds::ends_at))
        .first(conn)
        .optional()?)
}

/// The deputies on duty in a slot.
pub fn slot_deputies(conn: &mut AnyConnection, slot: i64) -> AppResult<Vec<i64>> {
    Ok(da::table.filter(da::slot_id.eq(slot)).select(da::deputy_id).load(conn)?)
}

/// Stores a slot; answers its id.
pub fn insert_slot(
    conn: &mut AnyConnection,
    station: i64,
    starts: NaiveDateTime,
    ends: NaiveDateTime,
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(ds::table)
        .values((
            ds::station_id.eq(station),
            ds::starts_at.eq(starts),
            ds::ends_at.eq(ends),
            ds::note.eq(note),
            ds::created_at.eq(now),
        ))
        .returning(ds::id)
        .get_result(conn)?)
}

/// Puts a deputy on duty in a slot (once: the pair is the table's key).
pub fn assign(conn: &mut AnyConnection, slot: i64, deputy: i64) -> AppResult<()> {
    let row = (da::slot_id.eq(slot), da::deputy_id.eq(deputy));
    crate::per_backend!(&mut *conn, |x| diesel::insert_into(da::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(x))?;
    Ok(())
}

/// (id, station, starts, ends) of up to 500 ended slots not yet settled.
pub fn ended_unsettled(
    conn: &mut AnyConnection,
    now: NaiveDateTime,
) -> AppResult<Vec<(i64, i64, NaiveDateTime, NaiveDateTime)>> {
    Ok(ds::table
        .filter(ds::settled_at.is_null())
        .filter(ds::cancelled_at.is_null())
        .filter(ds::ends_at.le(now))
        .select((ds::id, ds::station_id, ds::starts_at, ds::ends_at))
        .limit(500)
        .load(conn)?)
}

/// Whether the deputy checked in at the station (not rejected) in [from, to).
pub fn checked_in_between(
    conn: &mut AnyConnection,
    deputy: i64,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<bool> {
    Ok(c::table
        .filter(c::deputy_id.eq(deputy))
        .filter(c::station_id.eq(station))
        .filter(c::status.ne("rejected"))
        .filter(c::checked_in_at.ge(from))
        .filter(c::checked_in_at.lt(to))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// Records a deputy's outcome in a slot (`present`, `no_show`).
pub fn set_outcome(conn: &mut AnyConnection, slot: i64, deputy: i64, outcome: &str) -> AppResult<()> {
    diesel::update(da::table.filter(da::slot_id.eq(slot)).filter(da::deputy_id.eq(deputy)))
        .set(da::outcome.eq(outcome))
        .execute(conn)?;
    Ok(())
}

/// Marks a slot settled.
pub fn mark_settled(conn: &mut AnyConnection, slot: i64, at: NaiveDateTime) -> AppResult<()> {
    diesel::update(ds::table.find(slot)).set(ds::settled_at.eq(at)).execute(conn)?;
    Ok(())
}

/// Everyone ever on a station's roster (with repeats).
pub fn ever_on_duty(conn: &mut AnyConnection, station: i64) -> AppResult<Vec<i64>> {
    Ok(da::table.inner_join(ds::table).filter(ds::station_id.eq(station)).select(da::deputy_id).load(conn)?)
}
