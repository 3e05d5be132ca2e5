//! All SQL of activity records (what a deputy did during a reception: people received,
//! opinions collected, a summary and photos).

use super::CheckinRow;
use crate::db::schema::activity_records as a;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub type Row = (i64, i64, Option<i64>, Option<i64>, Option<i64>, i32, i32, String, String, NaiveDateTime);

/// The columns a [`Row`] is read from.
const COLS: (
    a::id,
    a::deputy_id,
    a::checkin_id,
    a::event_id,
    a::station_id,
    a::constituents_received,
    a::opinions_collected,
    a::summary,
    a::photo_urls,
    a::occurred_at,
) = (
    a::id,
    a::deputy_id,
    a::checkin_id,
    a::event_id,
    a::station_id,
    a::constituents_received,
    a::opinions_collected,
    a::summary,
    a::photo_urls,
    a::occurred_at,
);

/// A record to write for a check-in.
pub struct NewRecord<'a> {
    pub checkin: &'a CheckinRow,
    pub constituents: i32,
    pub opinions: i32,
    pub summary: &'a str,
    /// JSON array of photo URLs.
    pub photos: &'a str,
    pub by: i64,
    pub now: NaiveDateTime,
}

/// Writes a record (its deputy, station, event and time taken from the check-in); answers its id.
pub fn insert(c: &mut AnyConnection, r: &NewRecord) -> AppResult<i64> {
    let ci = r.checkin;
    Ok(diesel::insert_into(a::table)
        .values((
            a::deputy_id.eq(ci.deputy_id),
            a::checkin_id.eq(Some(ci.id)),
            a::event_id.eq(ci.event_id),
            a::station_id.eq(ci.station_id),
            a::constituents_received.eq(r.constituents),
            a::opinions_collected.eq(r.opinions),
            a::summary.eq(r.summary),
            a::photo_urls.eq(r.photos),
            a::written_by.eq(r.by),
            a::occurred_at.eq(ci.checked_in_at),
            a::created_at.eq(r.now),
        ))
        .returning(a::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Row> {
    Ok(a::table.find(id).select(COLS).first(c)?)
}

/// A deputy's records after id `after`, oldest first (`limit + 1`, to tell a next page).
pub fn of_deputy(c: &mut AnyConnection, deputy: i64, after: i64, limit: i64) -> AppResult<Vec<Row>> {
    Ok(a::table
        .filter(a::deputy_id.eq(deputy))
        .filter(a::id.gt(after))
        .order(a::id)
        .limit(limit + 1)
        .select(COLS)
        .load(c)?)
}
