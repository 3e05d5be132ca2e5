//! All SQL of the feed's events: rows written in the caller's transaction, numbered by the
//! sequencer under the head row's lock, read by sequence, purged by age.
//!
//! The backends differ in one thing, matched here: on SQLite one writer commits at a time and an
//! AUTOINCREMENT id is taken in commit order (a rolled-back insert gives its ids back), so the
//! id is the gap-free sequence itself and nothing is numbered afterwards — the feed costs the
//! writer one narrow insert. On PostgreSQL ids are taken before commit (a later commit may hold
//! a smaller id) and lost on rollback, so the sequencer numbers committed rows into `seq`.

pub mod subscriptions;

use crate::db::schema::{feed_events as f, feed_head as h};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An event to write: (type, subject, region path, data JSON, time).
pub type NewRow<'a> = (&'a str, &'a str, &'a str, &'a str, NaiveDateTime);

/// Writes events unnumbered (the caller's transaction commits them with its change).
pub fn insert(c: &mut AnyConnection, rows: &[NewRow]) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<_> = rows
        .iter()
        .map(|(t, s, r, d, at)| {
            (f::type_.eq(*t), f::subject.eq(*s), f::region_path.eq(*r), f::data.eq(*d), f::occurred_at.eq(*at))
        })
        .collect();
    for chunk in values.chunks(500) {
        crate::per_backend!(&mut *c, |x| diesel::insert_into(f::table).values(chunk).execute(x))?;
    }
    Ok(())
}

/// Numbers up to `max` unnumbered events in the order they were written, after the head, and
/// moves the head: one sequencer at a time (the head row is locked; a second one finds it
/// locked and leaves at once). Call inside a transaction. Answers how many. (SQLite: nothing to
/// number, see above.)
pub fn sequence(c: &mut AnyConnection, max: i64) -> AppResult<usize> {
    let AnyConnection::Pg(pg) = c else { return Ok(0) };
    // SKIP LOCKED: another instance is numbering now; this one has nothing to do.
    let head: Option<i64> = h::table.find(1).select(h::last_seq).for_update().skip_locked().first(pg).optional()?;
    let Some(base) = head else { return Ok(0) };
    // Both numbers are integers of ours, formatted into the text (no user input). Both sides
    // read the index of unnumbered rows (`seq IS NULL`): a merge join, however long the feed.
    let sql = format!(
        "UPDATE feed_events SET seq = {base} + r.rn FROM (SELECT id AS rid, row_number() OVER (ORDER BY id) AS rn \
         FROM feed_events WHERE seq IS NULL ORDER BY id LIMIT {max}) AS r \
         WHERE feed_events.id = r.rid AND feed_events.seq IS NULL"
    );
    let n = diesel::sql_query(sql).execute(pg)?;
    if n > 0 {
        diesel::update(h::table.find(1)).set(h::last_seq.eq(base + n as i64)).execute(pg)?;
    }
    Ok(n)
}

/// After a burst of numbering (PostgreSQL; nothing on SQLite): clears the index of unnumbered
/// rows of the entries numbering left behind — each read asks it whether anything waits, and
/// would otherwise step over every one — and refreshes the planner's statistics, so that a
/// page still walks the index of numbers rather than sorting what a stale estimate takes for a
/// few rows. (Autovacuum does both too, in its own time.)
pub fn tidy(c: &mut AnyConnection) -> AppResult<()> {
    if let AnyConnection::Pg(pg) = c {
        // Not in a transaction: VACUUM runs on its own (the simple protocol, no prepared statement).
        diesel::connection::SimpleConnection::batch_execute(pg, "VACUUM (ANALYZE) feed_events")?;
    }
    Ok(())
}

/// The last number given.
pub fn head(c: &mut AnyConnection) -> AppResult<i64> {
    Ok(match c {
        AnyConnection::Pg(pg) => h::table.find(1).select(h::last_seq).first(pg).optional()?.unwrap_or(0),
        AnyConnection::Sqlite(sq) => f::table.select(diesel::dsl::max(f::id)).first::<Option<i64>>(sq)?.unwrap_or(0),
    })
}

/// Whether events wait to be numbered.
pub fn unsequenced(c: &mut AnyConnection) -> AppResult<bool> {
    Ok(match c {
        AnyConnection::Pg(pg) => f::table.filter(f::seq.is_null()).select(f::id).first::<i64>(pg).optional()?.is_some(),
        AnyConnection::Sqlite(_) => false,
    })
}

/// (seq, type, subject, region path, data, time) of one event.
pub type EventRow = crate::feed::rules::render::Stored;

/// The events numbered in `(after, upto]` inside `scope` (a region path prefix) and of `types`
/// (all when empty), oldest first, at most `limit`.
pub fn read(
    c: &mut AnyConnection,
    (after, upto): (i64, i64),
    scope: &str,
    types: &[&str],
    limit: i64,
) -> AppResult<Vec<EventRow>> {
    macro_rules! page {
        ($conn:expr, $seq:expr) => {{
            let mut q = f::table
                .filter($seq.gt(after))
                .filter($seq.le(upto))
                .order($seq)
                .limit(limit)
                .select(($seq, f::type_, f::subject, f::region_path, f::data, f::occurred_at))
                .into_boxed();
            if scope != "/" {
                q = q.filter(f::region_path.like(format!("{scope}%")));
            }
            if !types.is_empty() {
                q = q.filter(f::type_.eq_any(types.to_vec()));
            }
            q.load($conn)?
        }};
    }
    Ok(match c {
        AnyConnection::Pg(pg) => page!(pg, f::seq.assume_not_null()),
        AnyConnection::Sqlite(sq) => page!(sq, f::id),
    })
}

/// Deletes events older than `before`, the oldest first, at most `max`; answers how many.
pub fn purge_before(c: &mut AnyConnection, before: NaiveDateTime, max: i64) -> AppResult<usize> {
    // By number, oldest first (PostgreSQL does not index `id`; on SQLite the id is the number).
    macro_rules! purge {
        ($conn:expr, $seq:expr) => {{
            let old = f::table
                .filter(f::occurred_at.lt(before))
                .filter($seq.is_not_null())
                .order($seq)
                .limit(max)
                .select($seq);
            let seqs: Vec<i64> = old.load($conn)?;
            match seqs.is_empty() {
                true => 0,
                false => diesel::delete(f::table.filter($seq.eq_any(seqs))).execute($conn)?,
            }
        }};
    }
    Ok(match c {
        AnyConnection::Pg(pg) => purge!(pg, f::seq.assume_not_null()),
        AnyConnection::Sqlite(sq) => purge!(sq, f::id),
    })
}

/// Numbered events of `scope` that occurred in `[from, to)`, after sequence `after`, oldest
/// first, at most `limit` (the exchange files).
pub fn read_between(
    c: &mut AnyConnection,
    scope: &str,
    (from, to): (NaiveDateTime, NaiveDateTime),
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventRow>> {
    macro_rules! span {
        ($conn:expr, $seq:expr) => {
            f::table
                .filter($seq.gt(after))
                .filter(f::occurred_at.ge(from))
                .filter(f::occurred_at.lt(to))
                .filter(f::region_path.like(format!("{scope}%")))
                .order($seq)
                .limit(limit)
                .select(($seq, f::type_, f::subject, f::region_path, f::data, f::occurred_at))
                .load($conn)?
        };
    }
    Ok(match c {
        AnyConnection::Pg(pg) => span!(pg, f::seq.assume_not_null()),
        AnyConnection::Sqlite(sq) => span!(sq, f::id),
    })
}
