//! All SQL of opinions' photos and of the texts at case milestones: photos uploaded before an
//! opinion is filed and attached when it is; the cases whose texts are off; how far the texts
//! have read the case events.

use crate::db::schema::opinions as o;
use crate::db::schema::{opinion_events as e, opinion_photos as p, opinion_text_marks as m, opinion_text_optouts as x};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

/// A stored photo: (account, content type, size, SHA-256, storage key).
pub fn insert_photo(
    c: &mut AnyConnection,
    account: i64,
    file: (&str, i64, &str, &str),
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(p::table)
        .values((
            p::account_id.eq(account),
            p::content_type.eq(file.0),
            p::size_bytes.eq(file.1),
            p::sha256.eq(file.2),
            p::storage_key.eq(file.3),
            p::created_at.eq(now),
        ))
        .returning(p::id)
        .get_result(c)?)
}

/// Photos among `ids` not yet attached: id → uploader's account.
pub fn free_photos(c: &mut AnyConnection, ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> =
        p::table.filter(p::id.eq_any(ids)).filter(p::opinion_id.is_null()).select((p::id, p::account_id)).load(c)?;
    Ok(rows.into_iter().collect())
}

/// Attaches each opinion's photos.
pub fn attach_photos(c: &mut AnyConnection, attach: &[(i64, Vec<i64>)]) -> AppResult<()> {
    for (opinion, ids) in attach.iter().filter(|a| !a.1.is_empty()) {
        diesel::update(p::table.filter(p::id.eq_any(ids)).filter(p::opinion_id.is_null()))
            .set(p::opinion_id.eq(Some(*opinion)))
            .execute(c)?;
    }
    Ok(())
}

/// An opinion's photos: (id, content type).
pub fn photos_of(c: &mut AnyConnection, opinion: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(p::table.filter(p::opinion_id.eq(opinion)).order(p::id).select((p::id, p::content_type)).load(c)?)
}

/// A stored photo: (opinion, content type, storage key, size, SHA-256).
pub type PhotoRow = (Option<i64>, String, String, i64, String);

pub fn photo(c: &mut AnyConnection, id: i64) -> AppResult<Option<PhotoRow>> {
    Ok(p::table
        .find(id)
        .select((p::opinion_id, p::content_type, p::storage_key, p::size_bytes, p::sha256))
        .first(c)
        .optional()?)
}

/// Whether the case's texts are off.
pub fn texts_off(c: &mut AnyConnection, opinion: i64) -> AppResult<bool> {
    Ok(x::table.find(opinion).count().get_result::<i64>(c)? > 0)
}

/// Turns a case's texts off or on.
pub fn set_texts(c: &mut AnyConnection, opinion: i64, on: bool, now: NaiveDateTime) -> AppResult<()> {
    diesel::delete(x::table.find(opinion)).execute(c)?;
    if !on {
        diesel::insert_into(x::table).values((x::opinion_id.eq(opinion), x::created_at.eq(now))).execute(c)?;
    }
    Ok(())
}

/// A milestone to text about: (event, opinion, ticket, constituent, round, new status, note).
pub type Milestone = (i64, i64, String, Option<i64>, i32, String, Option<String>);

/// The milestones after the mark (locked on PostgreSQL, so one instance texts them).
pub fn milestones(c: &mut AnyConnection, statuses: &[&str], limit: i64) -> AppResult<Vec<Milestone>> {
    let q = m::table.find("milestones").select(m::event_id);
    // Another instance texting them now holds the row: this one lets it (no mark, no rows).
    let mark: i64 = match c {
        AnyConnection::Pg(pg) => q.for_update().skip_locked().first(pg).optional()?,
        AnyConnection::Sqlite(sq) => q.first(sq).optional()?,
    }
    .unwrap_or(i64::MAX);
    let rows = e::table
        .inner_join(o::table)
        .filter(e::id.gt(mark))
        .filter(e::to_status.eq_any(statuses))
        .order(e::id)
        .limit(limit)
        .select((e::id, o::id, o::ticket, o::constituent_id, o::round, e::to_status, e::note))
        .load(c)?;
    Ok(rows)
}

/// Moves the mark to `event`.
pub fn set_mark(c: &mut AnyConnection, event: i64) -> AppResult<()> {
    diesel::update(m::table.find("milestones")).set(m::event_id.eq(event)).execute(c)?;
    Ok(())
}

/// Which of these cases have their texts off.
pub fn optouts(c: &mut AnyConnection, opinions: &[i64]) -> AppResult<HashSet<i64>> {
    Ok(x::table.filter(x::opinion_id.eq_any(opinions)).select(x::opinion_id).load::<i64>(c)?.into_iter().collect())
}
