//! All SQL of reception appointments.

use crate::db::schema::appointments as a;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

// The whole row (loaded column for column), so a few columns are stored but not read here.
#[allow(dead_code)]
#[derive(Debug, Clone, Queryable)]
pub struct AppointmentRow {
    pub id: i64,
    pub constituent_id: i64,
    pub deputy_id: i64,
    pub station_id: i64,
    pub slot_id: i64,
    pub starts_at: NaiveDateTime,
    pub mode: String,
    pub video_url: Option<String>,
    pub topic: String,
    pub status: String,
    pub note: Option<String>,
    pub reminded_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct NewAppointment<'a> {
    pub constituent: i64,
    pub deputy: i64,
    pub station: i64,
    pub slot: i64,
    pub starts_at: NaiveDateTime,
    pub mode: &'a str,
    pub video_url: Option<&'a str>,
    pub topic: &'a str,
}

/// Live bookings (requested or confirmed) of a deputy in a slot.
pub fn live_in_slot(c: &mut AnyConnection, slot: i64, deputy: i64) -> AppResult<i64> {
    Ok(a::table
        .filter(a::slot_id.eq(slot))
        .filter(a::deputy_id.eq(deputy))
        .filter(a::status.eq_any(["requested", "confirmed"]))
        .count()
        .get_result(c)?)
}

/// Books; None when this constituent already holds a live booking with the deputy in the slot.
pub fn insert(c: &mut AnyConnection, n: &NewAppointment, now: NaiveDateTime) -> AppResult<Option<i64>> {
    let taken = a::table
        .filter(a::constituent_id.eq(n.constituent))
        .filter(a::slot_id.eq(n.slot))
        .filter(a::deputy_id.eq(n.deputy))
        .filter(a::status.eq_any(["requested", "confirmed"]))
        .count()
        .get_result::<i64>(c)?;
    if taken > 0 {
        return Ok(None);
    }
    Ok(Some(
        diesel::insert_into(a::table)
            .values((
                a::constituent_id.eq(n.constituent),
                a::deputy_id.eq(n.deputy),
                a::station_id.eq(n.station),
                a::slot_id.eq(n.slot),
                a::starts_at.eq(n.starts_at),
                a::mode.eq(n.mode),
                a::video_url.eq(n.video_url),
                a::topic.eq(n.topic),
                a::status.eq("requested"),
                a::created_at.eq(now),
                a::updated_at.eq(now),
            ))
            .returning(a::id)
            .get_result(c)?,
    ))
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<AppointmentRow>> {
    Ok(a::table.find(id).first(c).optional()?)
}

/// Moves a booking from `from` to `to` (false when it was no longer in `from`).
pub fn set_status(
    c: &mut AnyConnection,
    id: i64,
    from: &str,
    to: &str,
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    Ok(diesel::update(a::table.find(id).filter(a::status.eq(from)))
        .set((a::status.eq(to), a::note.eq(note), a::updated_at.eq(now)))
        .execute(c)?
        == 1)
}

/// A constituent's (or a deputy's) bookings, newest first.
pub fn list(
    c: &mut AnyConnection,
    constituent: Option<i64>,
    deputy: Option<i64>,
    before: i64,
    limit: i64,
) -> AppResult<Vec<AppointmentRow>> {
    let before = if before > 0 { before } else { i64::MAX };
    let q = a::table.filter(a::id.lt(before)).order(a::id.desc()).limit(limit + 1);
    Ok(match (constituent, deputy) {
        (Some(k), _) => q.filter(a::constituent_id.eq(k)).load(c)?,
        (None, Some(d)) => q.filter(a::deputy_id.eq(d)).load(c)?,
        (None, None) => vec![],
    })
}

/// Confirmed bookings starting before `horizon` and not reminded yet.
pub fn to_remind(
    c: &mut AnyConnection,
    now: NaiveDateTime,
    horizon: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<AppointmentRow>> {
    Ok(a::table
        .filter(a::status.eq("confirmed"))
        .filter(a::reminded_at.is_null())
        .filter(a::starts_at.gt(now))
        .filter(a::starts_at.le(horizon))
        .order(a::starts_at)
        .limit(limit)
        .load(c)?)
}

pub fn set_reminded(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(a::table.find(id)).set(a::reminded_at.eq(now)).execute(c)?;
    Ok(())
}

/// A station's bookings starting in `from..to`, soonest first.
pub fn of_station(
    c: &mut AnyConnection,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<AppointmentRow>> {
    Ok(a::table
        .filter(a::station_id.eq(station))
        .filter(a::starts_at.ge(from))
        .filter(a::starts_at.lt(to))
        .order(a::starts_at)
        .limit(500)
        .load(c)?)
}

/// Live bookings (requested or confirmed) in a slot, of one deputy or of all.
pub fn live_of_slot(c: &mut AnyConnection, slot: i64, deputy: Option<i64>) -> AppResult<Vec<AppointmentRow>> {
    let mut q = a::table
        .filter(a::slot_id.eq(slot))
        .filter(a::status.eq_any(["requested", "confirmed"]))
        .order(a::id)
        .into_boxed();
    if let Some(d) = deputy {
        q = q.filter(a::deputy_id.eq(d));
    }
    Ok(q.load(c)?)
}

/// Gives a live booking to another deputy of its slot (false when it is no longer live).
pub fn move_to(c: &mut AnyConnection, id: i64, deputy: i64, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(a::table.find(id).filter(a::status.eq_any(["requested", "confirmed"])))
        .set((a::deputy_id.eq(deputy), a::updated_at.eq(now)))
        .execute(c)?
        == 1)
}

/// Moves the live bookings of a slot to its new start (answers how many).
pub fn retime(c: &mut AnyConnection, slot: i64, starts: NaiveDateTime, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::update(a::table.filter(a::slot_id.eq(slot)).filter(a::status.eq_any(["requested", "confirmed"])))
        .set((a::starts_at.eq(starts), a::reminded_at.eq(None::<NaiveDateTime>), a::updated_at.eq(now)))
        .execute(c)?)
}
