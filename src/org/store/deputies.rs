//! SQL for deputies (people) and their seats.

use crate::auth::policy::RegionFilter;
use crate::db::schema::{deputies as d, regions as r, seats as s};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::org::scope_pattern;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub use super::seats::{congress_path, deputy_scopes, SeatBrief};

// The whole row (loaded column for column), so a few columns are stored but not read here.
#[allow(dead_code)]
#[derive(Debug, Clone, Queryable)]
pub struct DeputyRow {
    pub id: i64,
    pub name: String,
    pub gender: String,
    pub phone: Option<String>,
    pub photo_url: Option<String>,
    pub introduction: Option<String>,
    pub public_code: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = d, treat_none_as_default_value = false)]
pub struct NewDeputy<'a> {
    pub name: &'a str,
    pub gender: &'a str,
    pub phone: Option<&'a str>,
    pub photo_url: Option<&'a str>,
    pub introduction: Option<&'a str>,
    pub public_code: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = s, treat_none_as_default_value = false)]
pub struct NewSeat<'a> {
    pub deputy_id: i64,
    pub level: &'a str,
    pub region_id: i64,
    pub term: i32,
    pub electoral_unit: Option<&'a str>,
    pub group_id: Option<i64>,
    pub status: &'a str,
    pub status_date: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

/// A seat with its region's code, name and path.
#[derive(Debug, Clone, Queryable)]
pub struct SeatRow {
    pub id: i64,
    pub deputy_id: i64,
    pub level: String,
    pub region_id: i64,
    pub term: i32,
    pub electoral_unit: Option<String>,
    pub group_id: Option<i64>,
    pub status: String,
    pub status_date: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub region_path: String,
}

pub fn insert_deputy(conn: &mut AnyConnection, n: &NewDeputy) -> AppResult<i64> {
    Ok(diesel::insert_into(d::table).values(n).returning(d::id).get_result(conn)?)
}

pub fn insert_seat(conn: &mut AnyConnection, n: &NewSeat) -> AppResult<i64> {
    Ok(diesel::insert_into(s::table).values(n).returning(s::id).get_result(conn)?)
}

/// Inserts deputies with one statement; answers (id, public code) per row, in any order.
pub fn insert_deputies(conn: &mut AnyConnection, rows: &[NewDeputy]) -> AppResult<Vec<(i64, String)>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    Ok(crate::per_backend!(conn, |x| diesel::insert_into(d::table)
        .values(rows)
        .returning((d::id, d::public_code))
        .get_results(x))?)
}

/// Inserts seats with one statement.
pub fn insert_seats(conn: &mut AnyConnection, rows: &[NewSeat]) -> AppResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    Ok(crate::per_backend!(conn, |x| diesel::insert_into(s::table).values(rows).execute(x))?)
}

pub fn deputy(conn: &mut AnyConnection, id: i64) -> AppResult<Option<DeputyRow>> {
    Ok(d::table.find(id).first(conn).optional()?)
}

pub fn seats_of(conn: &mut AnyConnection, deputy_ids: &[i64]) -> AppResult<Vec<SeatRow>> {
    Ok(s::table
        .inner_join(r::table)
        .filter(s::deputy_id.eq_any(deputy_ids.to_vec()))
        .order((s::deputy_id, s::id))
        .select((
            s::id,
            s::deputy_id,
            s::level,
            s::region_id,
            s::term,
            s::electoral_unit,
            s::group_id,
            s::status,
            s::status_date,
            r::code,
            r::name,
            r::path,
        ))
        .load(conn)?)
}

/// Deputies with a seat under `path` (a region path; `/` = everywhere), optionally of a level, a
/// term, a group: sorted, distinct.
pub fn deputies_matching(
    conn: &mut AnyConnection,
    path: &str,
    level: Option<&str>,
    term: Option<i32>,
    group: Option<i64>,
) -> AppResult<Vec<i64>> {
    let mut q =
        s::table.inner_join(r::table).filter(r::path.like(format!("{path}%"))).select(s::deputy_id).into_boxed();
    if let Some(l) = level {
        q = q.filter(s::level.eq(l.to_string()));
    }
    if let Some(t) = term {
        q = q.filter(s::term.eq(t));
    }
    if let Some(g) = group {
        q = q.filter(s::group_id.eq(g));
    }
    let mut ids: Vec<i64> = q.load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Region paths of a deputy's seats; `None` when the deputy does not exist.
pub fn deputy_region_paths(conn: &mut AnyConnection, id: i64) -> AppResult<Option<Vec<String>>> {
    Ok(deputy_scopes(conn, &[id])?.remove(&id).map(|seats| seats.into_iter().map(|s| s.path).collect()))
}

#[derive(AsChangeset)]
#[diesel(table_name = d)]
pub struct DeputyChanges<'a> {
    pub name: Option<&'a str>,
    pub gender: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub photo_url: Option<&'a str>,
    pub introduction: Option<&'a str>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

/// Applies changes when `version` is still current (the changes carry `version + 1`).
pub fn update_deputy(conn: &mut AnyConnection, id: i64, version: i64, ch: &DeputyChanges) -> AppResult<bool> {
    Ok(diesel::update(d::table.filter(d::id.eq(id)).filter(d::version.eq(version))).set(ch).execute(conn)? == 1)
}

#[derive(AsChangeset)]
#[diesel(table_name = s)]
pub struct SeatChanges<'a> {
    pub status: Option<&'a str>,
    pub status_date: Option<&'a str>,
    pub group_id: Option<i64>,
    pub electoral_unit: Option<&'a str>,
}

/// Applies a seat's changes (none given: nothing to write).
pub fn update_seat(conn: &mut AnyConnection, seat_id: i64, ch: &SeatChanges) -> AppResult<()> {
    if ch.status.is_none() && ch.status_date.is_none() && ch.group_id.is_none() && ch.electoral_unit.is_none() {
        return Ok(());
    }
    diesel::update(s::table.find(seat_id)).set(ch).execute(conn)?;
    Ok(())
}

pub struct DeputyFilter {
    pub scope: RegionFilter,
    pub level: Option<String>,
    pub group_id: Option<i64>,
    pub status: Option<String>,
    pub term: Option<i32>,
    pub q: Option<String>,
}

pub fn list_deputies(conn: &mut AnyConnection, f: &DeputyFilter, after: i64, limit: i64) -> AppResult<Vec<DeputyRow>> {
    let mut q = s::table
        .inner_join(d::table)
        .inner_join(r::table)
        .filter(r::path.like(scope_pattern(&f.scope)))
        .filter(d::id.gt(after))
        .select(d::all_columns)
        .distinct()
        .order(d::id)
        .limit(limit)
        .into_boxed();
    if let Some(l) = &f.level {
        q = q.filter(s::level.eq(l.clone()));
    }
    if let Some(g) = f.group_id {
        q = q.filter(s::group_id.eq(g));
    }
    if let Some(st) = &f.status {
        q = q.filter(s::status.eq(st.clone()));
    }
    if let Some(t) = f.term {
        q = q.filter(s::term.eq(t));
    }
    if let Some(n) = &f.q {
        q = q.filter(d::name.like(format!("%{}%", n.replace('%', ""))));
    }
    Ok(q.load(conn)?)
}

/// Phone → deputy id, for matching imported rows to people already in the directory.
pub fn phone_index(conn: &mut AnyConnection) -> AppResult<Vec<(String, i64, String)>> {
    let rows: Vec<(Option<String>, i64, String)> =
        d::table.filter(d::phone.is_not_null()).select((d::phone, d::id, d::name)).load(conn)?;
    Ok(rows.into_iter().filter_map(|(p, id, n)| p.map(|p| (p, id, n))).collect())
}

/// (deputy, phone) of these deputies that have a phone number (for SMS).
pub fn deputy_phones(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    let mut out = vec![];
    for chunk in ids.chunks(5000) {
        let rows: Vec<(i64, Option<String>)> =
            d::table.filter(d::id.eq_any(chunk)).select((d::id, d::phone)).load(conn)?;
        out.extend(rows.into_iter().filter_map(|(id, p)| p.map(|p| (id, p))));
    }
    Ok(out)
}

/// (deputy, region, term) of every seat held by the given people.
pub fn seat_keys(conn: &mut AnyConnection, deputy_ids: &[i64]) -> AppResult<Vec<(i64, i64, i32)>> {
    let mut out = vec![];
    for chunk in deputy_ids.chunks(500) {
        out.extend(
            s::table
                .filter(s::deputy_id.eq_any(chunk.to_vec()))
                .select((s::deputy_id, s::region_id, s::term))
                .load::<(i64, i64, i32)>(conn)?,
        );
    }
    Ok(out)
}

pub fn count_deputies(conn: &mut AnyConnection) -> AppResult<i64> {
    Ok(d::table.count().get_result(conn)?)
}

/// (id, name) of the given deputies.
/// Names of `ids`, by id; read in chunks of 5,000 (SQLite binds at most 32,766 values in a
/// statement, and a province's coverage or contacts name tens of thousands).
pub fn deputy_names(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(5_000) {
        let rows: Vec<(i64, String)> =
            d::table.filter(d::id.eq_any(chunk.to_vec())).select((d::id, d::name)).order(d::id).load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Ids of deputies with a seat in a region subtree.
pub fn deputies_in(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<i64>> {
    deputies_matching(conn, path, None, None, None)
}

/// Refreshes PostgreSQL's statistics of the directory after a large import (see [`crate::db::analyze`]).
pub fn refresh_statistics(conn: &mut AnyConnection) -> AppResult<()> {
    crate::db::analyze(conn, &["deputies", "seats"])
}
