//! The ledger's inbox: point events other capabilities note in their own transaction (a check-in
//! accepted, an attendance settled, an opinion answered, a suggestion filed), each booked at most
//! once per (source, deputy, kind) by the ledger's consumer. The `point_events` table and all its
//! SQL live here; other capabilities reach it only through [`note`] and [`note_many`].

use crate::db::schema::point_events as pe;
use crate::db::stamp::Stamp;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Something a deputy did that may earn points: `kind` names a point-event kind the rulebook maps
/// to a rule (`station_reception`, `event_checkin`, `opinion_answered`, …), `source` the record
/// that proves it (`("checkin", 42)`), `at` when it happened.
#[derive(Debug, Clone, Copy)]
pub struct PointEvent<'a> {
    pub deputy: i64,
    pub kind: &'a str,
    pub source: (&'a str, i64),
    pub at: NaiveDateTime,
}

/// Notes one point event in the caller's transaction; a source already noted is skipped.
pub fn note(conn: &mut AnyConnection, event: PointEvent, now: NaiveDateTime) -> AppResult<()> {
    note_many(conn, &[event], now)
}

/// Notes several point events with one statement; a source already noted is skipped.
pub fn note_many(conn: &mut AnyConnection, events: &[PointEvent], now: NaiveDateTime) -> AppResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = events
        .iter()
        .map(|e| {
            (
                pe::deputy_id.eq(e.deputy),
                pe::kind.eq(e.kind),
                pe::source_kind.eq(e.source.0),
                pe::source_id.eq(e.source.1),
                pe::occurred_at.eq(Stamp(e.at)),
                pe::created_at.eq(Stamp(now)),
            )
        })
        .collect();
    // Upserts differ per backend: one builder, run on the concrete connection.
    crate::per_backend!(conn, |c| diesel::insert_into(pe::table).values(&rows).on_conflict_do_nothing().execute(c))?;
    Ok(())
}

/// Point events of a deputy, newest first: (kind, source kind, source id).
pub fn noted_for(conn: &mut AnyConnection, deputy_id: i64) -> AppResult<Vec<(String, String, i64)>> {
    Ok(pe::table
        .filter(pe::deputy_id.eq(deputy_id))
        .order(pe::id.desc())
        .select((pe::kind, pe::source_kind, pe::source_id))
        .load(conn)?)
}

/// A point event waiting for the consumer: (id, deputy, kind, source kind, source id, occurred at).
pub(in crate::ledger) type Pending = (i64, i64, String, String, i64, NaiveDateTime);

/// Point events not consumed yet, oldest first.
pub(in crate::ledger) fn pending(conn: &mut AnyConnection, limit: i64) -> AppResult<Vec<Pending>> {
    Ok(pe::table
        .filter(pe::consumed_at.is_null())
        .order(pe::id)
        .limit(limit)
        .select((pe::id, pe::deputy_id, pe::kind, pe::source_kind, pe::source_id, pe::occurred_at))
        .load(conn)?)
}

/// Marks point events as consumed (booked or skipped).
pub(in crate::ledger) fn mark_consumed(conn: &mut AnyConnection, ids: &[i64], at: NaiveDateTime) -> AppResult<()> {
    if !ids.is_empty() {
        diesel::update(pe::table.filter(pe::id.eq_any(ids))).set(pe::consumed_at.eq(at)).execute(conn)?;
    }
    Ok(())
}
