//! All SQL of check-ins: QR secrets, check-ins and the pending point events.

pub(in crate::checkins) mod activity;
pub(in crate::checkins) mod attendance;
pub(in crate::checkins) mod meetings;
pub(in crate::checkins) mod presence;
pub(in crate::checkins) mod roster;
pub(in crate::checkins) mod roster_edits;
pub(in crate::checkins) mod secrets;
pub(in crate::checkins) mod sitting_in;

use crate::db::schema::{activity_records as a, checkins as c};
use crate::db::stamp::Stamp;
use crate::db::{AnyConnection, MultiBackend};
use crate::error::AppResult;
use crate::platform::pii::{field, Pii, Reseal};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, QueryableByName)]
#[diesel(table_name = c)]
pub struct CheckinRow {
    pub id: i64,
    pub deputy_id: i64,
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    pub status: String,
    pub qr_valid: bool,
    pub inside_geofence: bool,
    pub distance_m: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub offline: bool,
    pub staff_confirmed: bool,
    pub impossible_travel: bool,
    pub reasons: String,
    pub checked_in_at: NaiveDateTime,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: i64,
    pub checked_out_at: Option<NaiveDateTime>,
    pub auto_closed: bool,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub review_note: Option<String>,
    /// The sealed WGS-84 position (see [`super::rules::seal_position`]); `latitude` and
    /// `longitude` are empty except in rows stored before sealing, until the pass at start-up.
    pub position_enc: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = c, treat_none_as_default_value = false)]
pub struct NewCheckin<'a> {
    pub deputy_id: i64,
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    pub status: &'a str,
    pub qr_valid: bool,
    pub inside_geofence: bool,
    pub distance_m: Option<f64>,
    pub accuracy_m: Option<f64>,
    /// Sealed with [`crate::platform::pii::field::CHECKIN_POSITION`].
    pub position_enc: Option<String>,
    pub offline: bool,
    pub staff_confirmed: bool,
    pub impossible_travel: bool,
    pub reasons: &'a str,
    pub checked_in_at: Stamp,
    pub recorded_at: Stamp,
    pub recorded_by: i64,
    /// Set only for history (an offline scan older than the deputy's latest check-in).
    pub checked_out_at: Option<Stamp>,
}

impl NewCheckin<'_> {
    /// The row as stored under `id` (saves reading it back).
    pub fn into_row(self, id: i64) -> CheckinRow {
        CheckinRow {
            id,
            deputy_id: self.deputy_id,
            station_id: self.station_id,
            event_id: self.event_id,
            status: self.status.to_string(),
            qr_valid: self.qr_valid,
            inside_geofence: self.inside_geofence,
            distance_m: self.distance_m,
            accuracy_m: self.accuracy_m,
            latitude: None,
            longitude: None,
            offline: self.offline,
            staff_confirmed: self.staff_confirmed,
            impossible_travel: self.impossible_travel,
            reasons: self.reasons.to_string(),
            checked_in_at: self.checked_in_at.0,
            recorded_at: self.recorded_at.0,
            recorded_by: self.recorded_by,
            checked_out_at: self.checked_out_at.map(|t| t.0),
            auto_closed: false,
            reviewed_by: None,
            reviewed_at: None,
            review_note: None,
            position_enc: self.position_enc,
        }
    }
}

pub fn insert(conn: &mut AnyConnection, n: &NewCheckin) -> AppResult<i64> {
    Ok(crate::per_backend!(conn, |x| diesel::insert_into(c::table).values(n).returning(c::id).get_result(x))?)
}

/// Inserts several check-ins with one statement; answers (id, deputy) per row. Callers give at
/// most one row per deputy, so the deputy names the row whatever order RETURNING uses.
pub fn insert_many(conn: &mut AnyConnection, rows: &[NewCheckin]) -> AppResult<Vec<(i64, i64)>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    Ok(crate::per_backend!(conn, |x| diesel::insert_into(c::table)
        .values(rows)
        .returning((c::id, c::deputy_id))
        .get_results(x))?)
}

/// Inserts check-ins with one statement (seeding: any number of rows per deputy).
pub fn insert_rows(conn: &mut AnyConnection, rows: &[NewCheckin]) -> AppResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    Ok(crate::per_backend!(conn, |x| diesel::insert_into(c::table).values(rows).execute(x))?)
}

/// (id, deputy, checked in at) of every check-in of `deputies`.
pub fn of_deputies(conn: &mut AnyConnection, deputies: &[i64]) -> AppResult<Vec<(i64, i64, NaiveDateTime)>> {
    Ok(c::table.filter(c::deputy_id.eq_any(deputies)).select((c::id, c::deputy_id, c::checked_in_at)).load(conn)?)
}

/// The latest check-in (by time of check-in, then id) of each of `deputies` that has one.
pub fn latest_of_many(conn: &mut AnyConnection, deputies: &[i64]) -> AppResult<Vec<CheckinRow>> {
    if deputies.is_empty() {
        return Ok(vec![]);
    }
    // One index probe per deputy (checkins_deputy_time, read backwards), on both backends; a
    // join or NOT EXISTS form is planned as a scan of the whole table by PostgreSQL. The ids are
    // integers from our own code, written into the SQL.
    let ids = deputies.iter().map(|d| format!("({d})")).collect::<Vec<_>>().join(",");
    let sql = format!(
        "WITH d(id) AS (VALUES {ids}) SELECT * FROM checkins WHERE id IN (SELECT (SELECT x.id FROM checkins x \
         WHERE x.deputy_id = d.id ORDER BY x.checked_in_at DESC, x.id DESC LIMIT 1) FROM d)"
    );
    Ok(diesel::sql_query(sql).load(conn)?)
}

pub fn get(conn: &mut AnyConnection, id: i64) -> AppResult<Option<CheckinRow>> {
    Ok(c::table.find(id).first(conn).optional()?)
}

pub fn check_out(conn: &mut AnyConnection, id: i64, at: NaiveDateTime, auto: bool) -> AppResult<bool> {
    Ok(diesel::update(c::table.filter(c::id.eq(id)).filter(c::checked_out_at.is_null()))
        .set((c::checked_out_at.eq(at), c::auto_closed.eq(auto)))
        .execute(conn)?
        == 1)
}

pub fn review(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    by: i64,
    note: Option<&str>,
    at: NaiveDateTime,
) -> AppResult<bool> {
    Ok(diesel::update(c::table.filter(c::id.eq(id)).filter(c::status.eq("pending_review")))
        .set((c::status.eq(status), c::reviewed_by.eq(by), c::review_note.eq(note), c::reviewed_at.eq(at)))
        .execute(conn)?
        == 1)
}

/// Open check-ins older than `before` (for the auto-close worker).
pub fn stale_open(conn: &mut AnyConnection, before: NaiveDateTime, limit: i64) -> AppResult<Vec<CheckinRow>> {
    Ok(c::table
        .filter(c::checked_out_at.is_null())
        .filter(c::checked_in_at.lt(before))
        .order(c::id)
        .limit(limit)
        .load(conn)?)
}

pub struct ListFilter {
    pub deputy_id: Option<i64>,
    pub station_ids: Option<Vec<i64>>,
    pub status: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

pub fn list(conn: &mut AnyConnection, f: &ListFilter, after: i64, limit: i64) -> AppResult<Vec<CheckinRow>> {
    let mut query: c::BoxedQuery<'_, MultiBackend> =
        c::table.filter(c::id.gt(after)).order(c::id).limit(limit).into_boxed();
    if let Some(d) = f.deputy_id {
        query = query.filter(c::deputy_id.eq(d));
    }
    if let Some(s) = &f.station_ids {
        query = query.filter(c::station_id.eq_any(s.clone()));
    }
    if let Some(s) = &f.status {
        query = query.filter(c::status.eq(s.clone()));
    }
    if let Some(t) = f.from {
        query = query.filter(c::checked_in_at.ge(t));
    }
    if let Some(t) = f.to {
        query = query.filter(c::checked_in_at.lt(t));
    }
    Ok(query.load(conn)?)
}

/// Seals up to `limit` check-in positions after id `after` (`Legacy`: plain latitude and
/// longitude stored before sealing; `All`: also positions sealed under an older key); answers
/// (rows changed, last id looked at).
pub fn reseal(
    conn: &mut AnyConnection,
    pii: &Pii,
    mode: Reseal,
    after: i64,
    limit: i64,
) -> AppResult<(usize, Option<i64>)> {
    let mut q = c::table
        .filter(c::id.gt(after))
        .order(c::id)
        .limit(limit)
        .select((c::id, c::latitude, c::longitude, c::position_enc))
        .into_boxed();
    q = match mode {
        Reseal::Legacy => q.filter(c::latitude.is_not_null()),
        Reseal::All => q.filter(c::latitude.is_not_null().or(c::position_enc.is_not_null())),
    };
    type Stored = (i64, Option<f64>, Option<f64>, Option<String>);
    let rows: Vec<Stored> = q.load(conn)?;
    let mut changed = 0;
    for (id, lat, lng, sealed) in &rows {
        let plain = match (lat, lng, sealed) {
            (Some(la), Some(ln), _) => super::rules::encode_position((*la, *ln)),
            (_, _, Some(s)) if pii.is_current(s) => continue,
            (_, _, Some(s)) => pii.open(field::CHECKIN_POSITION, s)?,
            _ => continue,
        };
        let sealed = pii.seal(field::CHECKIN_POSITION, &plain);
        diesel::update(c::table.find(id))
            .set((c::latitude.eq(None::<f64>), c::longitude.eq(None::<f64>), c::position_enc.eq(sealed)))
            .execute(conn)?;
        changed += 1;
    }
    Ok((changed, rows.last().map(|r| r.0)))
}

/// (deputy, checked in, checked out) of the accepted check-ins at a station in [from, to).
pub fn accepted_at_station(
    conn: &mut AnyConnection,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)>> {
    Ok(c::table
        .filter(c::station_id.eq(station))
        .filter(c::status.eq("accepted"))
        .filter(c::checked_in_at.ge(from))
        .filter(c::checked_in_at.lt(to))
        .select((c::deputy_id, c::checked_in_at, c::checked_out_at))
        .load(conn)?)
}

/// (constituents received, opinions collected) of each activity record at a station in [from, to).
pub fn activity_counts(
    conn: &mut AnyConnection,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<(i32, i32)>> {
    Ok(a::table
        .filter(a::station_id.eq(station))
        .filter(a::occurred_at.ge(from))
        .filter(a::occurred_at.lt(to))
        .select((a::constituents_received, a::opinions_collected))
        .load(conn)?)
}
