//! SQL for stations and handling units.

use crate::auth::policy::RegionFilter;
use crate::db::schema::{regions as r, stations as s};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::org::model::{StationUpdate, StationView};
use crate::org::scope_pattern;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct StationRow {
    pub id: i64,
    pub region_id: i64,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: i32,
    pub opening_hours: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub public_code: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<StationRow> for StationView {
    fn from(x: StationRow) -> Self {
        StationView {
            id: x.id,
            region_id: x.region_id,
            kind: x.kind,
            name: x.name,
            address: x.address,
            latitude: x.latitude,
            longitude: x.longitude,
            radius_m: x.radius_m,
            opening_hours: x.opening_hours,
            contact_name: x.contact_name,
            contact_phone: x.contact_phone,
            public_code: x.public_code,
            version: x.version,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = s)]
pub struct NewStation<'a> {
    pub region_id: i64,
    pub kind: &'a str,
    pub name: &'a str,
    pub address: &'a str,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: i32,
    pub opening_hours: Option<&'a str>,
    pub contact_name: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub public_code: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn station(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(StationRow, String)>> {
    Ok(s::table.inner_join(r::table).filter(s::id.eq(id)).select((s::all_columns, r::path)).first(conn).optional()?)
}

/// (region id, region path) of a station.
pub fn station_region(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(i64, String)>> {
    Ok(s::table.inner_join(r::table).filter(s::id.eq(id)).select((s::region_id, r::path)).first(conn).optional()?)
}

pub fn insert_station(conn: &mut AnyConnection, n: &NewStation) -> AppResult<i64> {
    Ok(diesel::insert_into(s::table).values(n).returning(s::id).get_result(conn)?)
}

/// Inserts stations with one statement; answers (id, public code) per row, in any order.
pub fn insert_stations(conn: &mut AnyConnection, rows: &[NewStation]) -> AppResult<Vec<(i64, String)>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    Ok(crate::per_backend!(conn, |x| diesel::insert_into(s::table)
        .values(rows)
        .returning((s::id, s::public_code))
        .get_results(x))?)
}

#[derive(AsChangeset)]
#[diesel(table_name = s)]
struct StationChanges<'a> {
    kind: Option<&'a str>,
    name: Option<&'a str>,
    address: Option<&'a str>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    radius_m: Option<i32>,
    opening_hours: Option<&'a str>,
    contact_name: Option<&'a str>,
    contact_phone: Option<&'a str>,
    version: i64,
    updated_at: NaiveDateTime,
}

pub fn update_station(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    c: &StationUpdate,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let ch = StationChanges {
        kind: c.kind.as_deref(),
        name: c.name.as_deref().map(str::trim),
        address: c.address.as_deref().map(str::trim),
        latitude: c.latitude,
        longitude: c.longitude,
        radius_m: c.radius_m,
        opening_hours: c.opening_hours.as_deref(),
        contact_name: c.contact_name.as_deref(),
        contact_phone: c.contact_phone.as_deref(),
        version: version + 1,
        updated_at: now,
    };
    Ok(diesel::update(s::table.filter(s::id.eq(id)).filter(s::version.eq(version))).set(&ch).execute(conn)? == 1)
}

pub fn delete_station(conn: &mut AnyConnection, id: i64) -> AppResult<()> {
    diesel::delete(s::table.find(id)).execute(conn)?;
    Ok(())
}

pub fn list_stations(
    conn: &mut AnyConnection,
    scope: &RegionFilter,
    kind: Option<&str>,
    q: Option<&str>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<StationRow>> {
    let mut query = s::table
        .filter(s::id.gt(after))
        .filter(s::region_id.eq_any(r::table.filter(r::path.like(scope_pattern(scope))).select(r::id)))
        .order(s::id)
        .limit(limit)
        .into_boxed();
    if let Some(k) = kind {
        query = query.filter(s::kind.eq(k.to_string()));
    }
    if let Some(t) = q {
        query = query.filter(s::name.like(format!("%{}%", t.replace('%', ""))));
    }
    Ok(query.load(conn)?)
}

/// Where a station is, for geofencing and the public directory.
#[derive(Debug, Clone)]
pub struct StationGeo {
    pub id: i64,
    pub name: String,
    pub region_path: String,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: i32,
}

pub fn station_geo(conn: &mut AnyConnection, id: i64) -> AppResult<Option<StationGeo>> {
    let row: Option<(i64, String, String, f64, f64, i32)> = s::table
        .inner_join(r::table)
        .filter(s::id.eq(id))
        .select((s::id, s::name, r::path, s::latitude, s::longitude, s::radius_m))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, name, region_path, latitude, longitude, radius_m)| StationGeo {
        id,
        name,
        region_path,
        latitude,
        longitude,
        radius_m,
    }))
}

/// Every station with its position (for "stations near me"; a province has a few thousand).
pub fn all_station_geos(conn: &mut AnyConnection) -> AppResult<Vec<StationGeo>> {
    let rows: Vec<(i64, String, String, f64, f64, i32)> = s::table
        .inner_join(r::table)
        .order(s::id)
        .select((s::id, s::name, r::path, s::latitude, s::longitude, s::radius_m))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, region_path, latitude, longitude, radius_m)| StationGeo {
            id,
            name,
            region_path,
            latitude,
            longitude,
            radius_m,
        })
        .collect())
}

/// A station by its public code.
/// Stations by their printed codes: (code, id, region path), one query.
pub fn station_places_by_codes(conn: &mut AnyConnection, codes: &[&str]) -> AppResult<Vec<(String, i64, String)>> {
    Ok(s::table
        .inner_join(r::table)
        .filter(s::public_code.eq_any(codes))
        .select((s::public_code, s::id, r::path))
        .load(conn)?)
}

pub fn station_by_code(conn: &mut AnyConnection, code: &str) -> AppResult<Option<StationRow>> {
    Ok(s::table.filter(s::public_code.eq(code)).first(conn).optional()?)
}
