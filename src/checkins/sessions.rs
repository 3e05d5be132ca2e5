//! Sessions other capabilities hold at a station as events (a duty report's 述职评议 session): an
//! event at the station's position and radius with the deputy invited, so check-ins, the
//! rotating QR code and attendance work as for any event; and proving presence at one with the
//! token of its QR code.

use super::qr::{self, Place};
use super::store::meetings::{self, NewMeeting};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;

/// An event another capability opens at a station.
pub struct NewSession<'a> {
    pub station: i64,
    pub kind: &'a str,
    pub title: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// The deputy invited.
    pub deputy: i64,
    /// The account opening it.
    pub by: i64,
}

/// Opens the session as an event; answers its id.
pub fn open_session(conn: &mut AnyConnection, s: &NewSession, now: NaiveDateTime) -> AppResult<i64> {
    let g = crate::org::station_geo(conn, s.station)?.ok_or_else(AppError::not_found)?;
    let (region, _) = crate::org::station_region(conn, s.station)?.ok_or_else(AppError::not_found)?;
    let m = NewMeeting {
        region_id: region,
        kind: s.kind,
        title: s.title,
        station_id: Some(s.station),
        venue: None,
        pos: (g.latitude, g.longitude),
        radius_m: g.radius_m,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        by: s.by,
        now,
    };
    let id = meetings::insert(conn, &m)?;
    meetings::invite(conn, id, &[s.deputy])?;
    Ok(id)
}

/// (starts, ends) of an event.
pub fn event_window(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(NaiveDateTime, NaiveDateTime)>> {
    meetings::window(conn, id)
}

/// An event in brief: (kind, title, region path, starts at).
pub fn event_brief(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(String, String, String, NaiveDateTime)>> {
    Ok(meetings::get(conn, id)?.map(|(m, path)| (m.2, m.3, path, m.9)))
}

/// Whether `token` is the event's current QR token at `now` (within the grace): Ok(Err(code))
/// names what is wrong with it.
pub fn verify_event_token(
    conn: &mut AnyConnection,
    event: i64,
    token: &str,
    now: NaiveDateTime,
    grace_secs: i64,
) -> AppResult<Result<(), &'static str>> {
    let Some(secret) = super::places::existing_secret(conn, Place::Event(event))? else {
        return Ok(Err(qr::QrError::Tampered.code()));
    };
    Ok(qr::verify(&secret, Place::Event(event), token, now.and_utc().timestamp(), grace_secs).map_err(|e| e.code()))
}

/// The event's current QR token and when it expires (unix seconds); its secret is made at the
/// first call.
pub fn event_code(
    conn: &mut AnyConnection,
    event: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<(String, i64)> {
    let (token, expires, _) = super::places::current(conn, Place::Event(event), now)?;
    Ok((token, expires))
}
