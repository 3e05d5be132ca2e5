//! All SQL of changing the duty roster after it is published: a slot's times and note under its
//! version, the deputies taken off it, and cancelling it with a reason.

use super::roster::SlotRow;
use crate::db::schema::{duty_assignments as da, duty_slots as ds};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A slot, cancelled or not: (its row, when it was cancelled).
pub fn slot(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(SlotRow, Option<NaiveDateTime>)>> {
    Ok(ds::table
        .find(id)
        .select(((ds::id, ds::station_id, ds::starts_at, ds::ends_at, ds::note, ds::version), ds::cancelled_at))
        .first(conn)
        .optional()?)
}

/// Sets a slot's times and note and bumps its version, if it is still at `version`.
pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    (starts, ends): (NaiveDateTime, NaiveDateTime),
    note: Option<&str>,
) -> AppResult<bool> {
    Ok(diesel::update(ds::table.find(id).filter(ds::version.eq(version)).filter(ds::cancelled_at.is_null()))
        .set((ds::starts_at.eq(starts), ds::ends_at.eq(ends), ds::note.eq(note), ds::version.eq(version + 1)))
        .execute(conn)?
        == 1)
}

/// Bumps a slot's version (its deputies changed), if it is still at `version`.
pub fn bump(conn: &mut AnyConnection, id: i64, version: i64) -> AppResult<bool> {
    Ok(diesel::update(ds::table.find(id).filter(ds::version.eq(version)).filter(ds::cancelled_at.is_null()))
        .set(ds::version.eq(version + 1))
        .execute(conn)?
        == 1)
}

/// Takes a deputy off a slot.
pub fn unassign(conn: &mut AnyConnection, slot: i64, deputy: i64) -> AppResult<()> {
    diesel::delete(da::table.filter(da::slot_id.eq(slot)).filter(da::deputy_id.eq(deputy))).execute(conn)?;
    Ok(())
}

/// Cancels a slot with a reason (false when it was cancelled already).
pub fn cancel(conn: &mut AnyConnection, id: i64, reason: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(ds::table.find(id).filter(ds::cancelled_at.is_null()))
        .set((ds::cancelled_at.eq(now), ds::cancel_reason.eq(reason), ds::version.eq(ds::version + 1)))
        .execute(conn)?
        == 1)
}
