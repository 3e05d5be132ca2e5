//! All SQL of meetings (the API's events) and their invitees.

use crate::db::schema::{event_invitees as ei, events as e};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (id, region, kind, title, station, venue, latitude, longitude, radius, starts, ends, closed).
pub type MeetingRow = (
    i64,
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    f64,
    f64,
    i32,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// (latitude, longitude, radius, region path, station) of a meeting's venue.
pub type VenueRow = (f64, f64, i32, String, Option<i64>);

/// Where a meeting is held (its region's path from the directory).
pub fn venue(conn: &mut AnyConnection, id: i64) -> AppResult<Option<VenueRow>> {
    let found: Option<(f64, f64, i32, i64, Option<i64>)> = e::table
        .filter(e::id.eq(id))
        .select((e::latitude, e::longitude, e::radius_m, e::region_id, e::station_id))
        .first(conn)
        .optional()?;
    let Some((lat, lng, radius, region, station)) = found else { return Ok(None) };
    let path = crate::org::region_path(conn, region)?.unwrap_or_default();
    Ok(Some((lat, lng, radius, path, station)))
}

/// A meeting with its region's path (from the directory).
pub fn get(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(MeetingRow, String)>> {
    let found: Option<MeetingRow> = e::table
        .filter(e::id.eq(id))
        .select((
            e::id,
            e::region_id,
            e::kind,
            e::title,
            e::station_id,
            e::venue,
            e::latitude,
            e::longitude,
            e::radius_m,
            e::starts_at,
            e::ends_at,
            e::closed_at,
        ))
        .first(conn)
        .optional()?;
    let Some(m) = found else { return Ok(None) };
    let path = crate::org::region_path(conn, m.1)?.unwrap_or_default();
    Ok(Some((m, path)))
}

/// (deputy, leave approved, attendance) of a meeting's invitees, by deputy.
pub fn invitees(conn: &mut AnyConnection, id: i64) -> AppResult<Vec<(i64, bool, Option<String>)>> {
    Ok(ei::table
        .filter(ei::event_id.eq(id))
        .order(ei::deputy_id)
        .select((ei::deputy_id, ei::leave_approved, ei::attendance))
        .load(conn)?)
}

/// A meeting to store.
pub struct NewMeeting<'a> {
    pub region_id: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub station_id: Option<i64>,
    pub venue: Option<&'a str>,
    pub pos: (f64, f64),
    pub radius_m: i32,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub by: i64,
    pub now: NaiveDateTime,
}

/// Stores a meeting; answers its id.
pub fn insert(conn: &mut AnyConnection, m: &NewMeeting) -> AppResult<i64> {
    Ok(diesel::insert_into(e::table)
        .values((
            e::region_id.eq(m.region_id),
            e::kind.eq(m.kind),
            e::title.eq(m.title),
            e::station_id.eq(m.station_id),
            e::venue.eq(m.venue),
            e::latitude.eq(m.pos.0),
            e::longitude.eq(m.pos.1),
            e::radius_m.eq(m.radius_m),
            e::starts_at.eq(m.starts_at),
            e::ends_at.eq(m.ends_at),
            e::created_by.eq(m.by),
            e::created_at.eq(m.now),
        ))
        .returning(e::id)
        .get_result(conn)?)
}

/// Invites deputies (distinct ids) to a meeting.
pub fn invite(conn: &mut AnyConnection, id: i64, deputies: &[i64]) -> AppResult<()> {
    for d in deputies {
        diesel::insert_into(ei::table).values((ei::event_id.eq(id), ei::deputy_id.eq(*d))).execute(conn)?;
    }
    Ok(())
}

/// (starts, ends) of an event.
pub fn window(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(NaiveDateTime, NaiveDateTime)>> {
    Ok(e::table.find(id).select((e::starts_at, e::ends_at)).first(conn).optional()?)
}
