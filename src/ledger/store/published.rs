//! All SQL of what the ledger publishes: quarterly ranking snapshots with their rows, and the
//! daily digests of the chain heads.

use crate::db::schema::{
    ledger_entries as e, ledger_head_publications as hp, ranking_snapshot_rows as sr, ranking_snapshots as sn,
};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (id, year, quarter, region id, region path, deputies, published at, published by).
pub type SnapshotRecord = (i64, i32, i32, i64, String, i64, NaiveDateTime, i64);

/// A snapshot to publish.
pub struct NewSnapshot<'a> {
    pub year: i32,
    pub quarter: i32,
    pub region_id: i64,
    pub region_path: &'a str,
    pub by: i64,
    pub at: NaiveDateTime,
}

/// Stores a snapshot and its rows (rank, deputy, points); a quarter already published answers
/// `already_exists`.
pub fn insert_snapshot(c: &mut AnyConnection, s: &NewSnapshot, rows: &[(i32, i64, i64)]) -> AppResult<SnapshotRecord> {
    let id: i64 = diesel::insert_into(sn::table)
        .values((
            sn::year.eq(s.year),
            sn::quarter.eq(s.quarter),
            sn::region_id.eq(s.region_id),
            sn::region_path.eq(s.region_path),
            sn::deputies.eq(rows.len() as i64),
            sn::published_at.eq(s.at),
            sn::published_by.eq(s.by),
        ))
        .returning(sn::id)
        .get_result(c)?;
    let values: Vec<_> = rows
        .iter()
        .map(|&(rank, d, pts)| (sr::snapshot_id.eq(id), sr::rank.eq(rank), sr::deputy_id.eq(d), sr::points.eq(pts)))
        .collect();
    for chunk in values.chunks(2000) {
        crate::per_backend!(&mut *c, |x| diesel::insert_into(sr::table).values(chunk).execute(x))?;
    }
    Ok(sn::table.find(id).first(c)?)
}

/// Published snapshots, oldest first, of a year or of every year.
pub fn snapshots(c: &mut AnyConnection, year: Option<i32>) -> AppResult<Vec<SnapshotRecord>> {
    let mut q = sn::table.order(sn::id).into_boxed();
    if let Some(y) = year {
        q = q.filter(sn::year.eq(y));
    }
    Ok(q.load(c)?)
}

/// (rank, deputy, points) of a snapshot from position `after` on, `limit + 1` rows (404 when the
/// snapshot does not exist).
pub fn snapshot_rows(c: &mut AnyConnection, id: i64, after: i64, limit: i64) -> AppResult<Vec<(i32, i64, i64)>> {
    sn::table.find(id).select(sn::id).first::<i64>(c).optional()?.ok_or_else(AppError::not_found)?;
    Ok(sr::table
        .filter(sr::snapshot_id.eq(id))
        .order((sr::rank, sr::deputy_id))
        .offset(after)
        .limit(limit + 1)
        .select((sr::rank, sr::deputy_id, sr::points))
        .load(c)?)
}

/// (deputy, entry, hash) of every chain head as of entry `upto`.
pub fn heads_upto(c: &mut AnyConnection, upto: i64) -> AppResult<Vec<(i64, i64, String)>> {
    let last: Vec<(i64, Option<i64>)> = e::table
        .filter(e::id.le(upto))
        .group_by(e::deputy_id)
        .select((e::deputy_id, diesel::dsl::max(e::id)))
        .load(c)?;
    let ids: Vec<i64> = last.iter().filter_map(|x| x.1).collect();
    let mut heads: Vec<(i64, i64, String)> = vec![];
    for chunk in ids.chunks(5000) {
        heads.extend(
            e::table
                .filter(e::id.eq_any(chunk))
                .select((e::deputy_id, e::id, e::hash))
                .load::<(i64, i64, String)>(c)?,
        );
    }
    Ok(heads)
}

/// Whether the digest of `day` is published.
pub fn heads_published_on(c: &mut AnyConnection, day: &str) -> AppResult<bool> {
    Ok(hp::table.filter(hp::day.eq(day)).count().get_result::<i64>(c)? > 0)
}

/// Records the digest of a day.
pub fn insert_heads_publication(
    c: &mut AnyConnection,
    day: &str,
    heads: i64,
    upto: i64,
    digest: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(hp::table)
        .values((
            hp::day.eq(day),
            hp::heads.eq(heads),
            hp::entries_upto.eq(upto),
            hp::digest.eq(digest),
            hp::published_at.eq(at),
        ))
        .execute(c)?;
    Ok(())
}

/// (day, heads, entries up to, digest, published at) of a digest.
pub type HeadsRecord = (String, i64, i64, String, NaiveDateTime);

/// The last 31 digests, newest first.
pub fn heads_publications(c: &mut AnyConnection) -> AppResult<Vec<HeadsRecord>> {
    Ok(hp::table
        .order(hp::id.desc())
        .limit(31)
        .select((hp::day, hp::heads, hp::entries_upto, hp::digest, hp::published_at))
        .load(c)?)
}

/// The snapshot of `id`, when one exists.
pub fn snapshot(c: &mut AnyConnection, id: i64) -> AppResult<Option<SnapshotRecord>> {
    Ok(sn::table.find(id).first(c).optional()?)
}
