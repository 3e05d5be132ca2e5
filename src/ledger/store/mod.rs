//! All SQL of the ledger. Here: entries, chain heads, balances and yearly totals; beside it the
//! appeals, the leaderboards' outbox and members (`ranks`), the rulebook, the kept sums, the
//! ranking tables and the inbox of point events.

pub(in crate::ledger) mod appeals;
pub(in crate::ledger) mod evaluation;
pub(in crate::ledger) mod inbox;
pub(in crate::ledger) mod open;
pub(in crate::ledger) mod proposals;
pub(in crate::ledger) mod published;
pub(in crate::ledger) mod rank_tables;
pub(in crate::ledger) mod ranks;
pub(in crate::ledger) mod rulebook;
pub(in crate::ledger) mod sums;

pub use ranks::*;
pub use rulebook::*;
pub use sums::*;

use crate::db::any_of::any_of;
use crate::db::json_batch::{json_batch, BatchSql};
use crate::db::schema::{ledger_entries as e, ledger_heads as h};
use crate::db::stamp::Stamp;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::views::{self, Family};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct EntryRow {
    pub id: i64,
    pub deputy_id: i64,
    pub rule_id: i64,
    pub rule_code: String,
    pub category: String,
    pub year: i32,
    pub points: i32,
    pub requested_points: i32,
    pub cap_note: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub recorded_at: NaiveDateTime,
    pub source_kind: String,
    pub source_id: String,
    pub actor: String,
    pub reason: Option<String>,
    pub reverses: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry to insert. It owns its values: a multi-row INSERT over an array of rows that borrow
/// would have no `'static` query id, and SQLite keeps only those prepared (see [`crate::in_batches`]).
#[derive(Insertable)]
#[diesel(table_name = e, treat_none_as_default_value = false)]
pub struct NewEntry {
    pub deputy_id: i64,
    pub rule_id: i64,
    pub rule_code: String,
    pub category: String,
    pub year: i32,
    pub points: i32,
    pub requested_points: i32,
    pub cap_note: Option<String>,
    pub occurred_at: Stamp,
    pub recorded_at: Stamp,
    pub source_kind: String,
    pub source_id: String,
    pub actor: String,
    pub reason: Option<String>,
    pub reverses: Option<i64>,
    pub prev_hash: String,
    pub hash: String,
}

impl NewEntry {
    pub fn of(e: &EntryRow) -> Self {
        NewEntry {
            deputy_id: e.deputy_id,
            rule_id: e.rule_id,
            rule_code: e.rule_code.clone(),
            category: e.category.clone(),
            year: e.year,
            points: e.points,
            requested_points: e.requested_points,
            cap_note: e.cap_note.clone(),
            occurred_at: Stamp(e.occurred_at),
            recorded_at: Stamp(e.recorded_at),
            source_kind: e.source_kind.clone(),
            source_id: e.source_id.clone(),
            actor: e.actor.clone(),
            reason: e.reason.clone(),
            reverses: e.reverses,
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        }
    }
}

/// (id, deputy, source kind, source id, rule code) of an inserted entry.
pub type InsertedEntry = (i64, i64, String, String, String);

/// Inserts entries with one statement; answers (id, deputy, source kind, source id, rule code)
/// per row (the unique source names each row whatever order RETURNING uses).
pub fn insert_entries(conn: &mut AnyConnection, rows: &[NewEntry]) -> AppResult<Vec<InsertedEntry>> {
    let mut out = Vec::with_capacity(rows.len());
    crate::in_batches!(&mut *conn, rows, |c, batch| out.extend(
        diesel::insert_into(e::table)
            .values(batch)
            .returning((e::id, e::deputy_id, e::source_kind, e::source_id, e::rule_code))
            .get_results::<InsertedEntry>(c)?
    ));
    views::touch_many(Family::Points, out.iter().map(|r| r.1));
    Ok(out)
}

/// Entries recorded for any of these (deputy, source kind, source id) — callers match the rule
/// in memory. On PostgreSQL the keys go in as three arrays joined through `unnest`: one probe of
/// the unique index per key. (Two `= ANY($n)` filters were searched element by element under
/// the generic plan of a prepared statement: 9 s for 1,000 deputies' 24,000 awards once the
/// table held 470,000 entries.) On SQLite the keys go in as one JSON array read through
/// `json_each`, one probe of the same index per key: with `IN` lists on deputy and source id it
/// read every entry of each deputy in the set, of every year.
pub fn by_sources(conn: &mut AnyConnection, keys: &[(i64, &str, &str)]) -> AppResult<Vec<EntryRow>> {
    match conn {
        AnyConnection::Pg(pg) => {
            use diesel::sql_types::{Array, BigInt, Bool, Text};
            let deputies: Vec<i64> = keys.iter().map(|k| k.0).collect();
            let kinds: Vec<&str> = keys.iter().map(|k| k.1).collect();
            let sources: Vec<&str> = keys.iter().map(|k| k.2).collect();
            let of_keys = diesel::dsl::sql::<Bool>("(deputy_id, source_kind, source_id) IN (SELECT * FROM unnest(")
                .bind::<Array<BigInt>, _>(deputies)
                .sql(", ")
                .bind::<Array<Text>, _>(kinds)
                .sql(", ")
                .bind::<Array<Text>, _>(sources)
                .sql("))");
            Ok(e::table.filter(of_keys).load(pg)?)
        }
        AnyConnection::Sqlite(sq) => Ok(json_batch::<BySources, _>(keys)?.load(sq)?),
    }
}

/// [`by_sources`] on SQLite, keys as `[deputy, kind, id]` arrays: one statement kept prepared
/// (a `dsl::sql` filter was parsed and planned again for every bulk; see `db::json_batch`).
struct BySources;

impl BatchSql for BySources {
    const SQL: &'static str = "WITH k(v) AS MATERIALIZED (SELECT value FROM json_each(?)) SELECT x.* FROM k \
        JOIN ledger_entries x ON x.deputy_id = k.v ->> 0 AND x.source_kind = k.v ->> 1 AND x.source_id = k.v ->> 2";
    type Returns = <e::table as diesel::query_builder::AsQuery>::SqlType;
}

/// (deputy, rule code, occurred at, points) of these deputies' entries under these rules in
/// `[from, to)`, for caps; `years` are the congress years that range covers (the filter on them
/// keeps the read inside the yearly index instead of every entry of the deputies).
pub fn granted_in(
    conn: &mut AnyConnection,
    deputies: &[i64],
    codes: &[&str],
    years: &[i32],
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> AppResult<Vec<(i64, String, NaiveDateTime, i32)>> {
    let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    Ok(crate::per_backend!(&mut *conn, |c| e::table
        .filter(any_of(e::year, years.to_vec()))
        .filter(any_of(e::deputy_id, deputies.to_vec()))
        .filter(any_of(e::rule_code, codes))
        .filter(e::occurred_at.ge(from))
        .filter(e::occurred_at.lt(to))
        .select((e::deputy_id, e::rule_code, e::occurred_at, e::points))
        .load(c))?)
}

/// Locks the chain heads of `deputies` (sorted) for this transaction and answers each deputy's
/// head hash (no entry yet: absent). On PostgreSQL empty heads are created to have rows to lock,
/// and the rows are locked in deputy order, so concurrent posters queue without deadlocks;
/// SQLite has one writer at a time.
pub fn lock_heads(conn: &mut AnyConnection, deputies: &[i64]) -> AppResult<std::collections::HashMap<i64, String>> {
    // Rows to lock (PostgreSQL): SQLite's one writer needs none, and the heads are upserted.
    if let AnyConnection::Pg(pg) = conn {
        let empty: Vec<_> = deputies
            .iter()
            .map(|d| (h::deputy_id.eq(*d), h::entry_id.eq(0i64), h::hash.eq(crate::ledger::rules::GENESIS)))
            .collect();
        for chunk in empty.chunks(1000) {
            diesel::insert_into(h::table).values(chunk).on_conflict_do_nothing().execute(pg)?;
        }
    }
    let q = h::table.filter(any_of(h::deputy_id, deputies.to_vec())).order(h::deputy_id).select((
        h::deputy_id,
        h::entry_id,
        h::hash,
    ));
    let rows: Vec<(i64, i64, String)> = match conn {
        AnyConnection::Pg(pg) => q.for_update().load(pg)?,
        AnyConnection::Sqlite(sq) => q.load(sq)?,
    };
    Ok(rows.into_iter().filter(|r| r.1 != 0).map(|(d, _, hash)| (d, hash)).collect())
}

pub fn entry(conn: &mut AnyConnection, id: i64) -> AppResult<Option<EntryRow>> {
    Ok(e::table.find(id).first(conn).optional()?)
}

/// Reversed entry id → the entry that reversed it, for the given entries (one query).
pub fn reversals_of(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> =
        e::table.filter(e::reverses.eq_any(ids.to_vec())).select((e::reverses, e::id)).load(conn)?;
    Ok(by_reversed(rows))
}

/// (reverses, id) rows as reversed id → reversing id.
fn by_reversed(rows: Vec<(Option<i64>, i64)>) -> std::collections::HashMap<i64, i64> {
    rows.into_iter().filter_map(|(r, id)| r.map(|r| (r, id))).collect()
}

/// The reversals among a deputy's entries, as reversed id → reversing id (a reversal belongs to
/// the deputy of the entry it reverses). One cached statement, unlike [`reversals_of`].
pub fn reversals_of_deputy(conn: &mut AnyConnection, deputy: i64) -> AppResult<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> = e::table
        .filter(e::deputy_id.eq(deputy))
        .filter(e::reverses.is_not_null())
        .select((e::reverses, e::id))
        .load(conn)?;
    Ok(by_reversed(rows))
}

/// The entry that reverses `id`, if any.
pub fn reversal_of(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(e::table.filter(e::reverses.eq(id)).select(e::id).first(conn).optional()?)
}

pub fn entries_of(conn: &mut AnyConnection, deputy: i64, year: Option<i32>) -> AppResult<Vec<EntryRow>> {
    let mut q = e::table.filter(e::deputy_id.eq(deputy)).order(e::id).into_boxed();
    if let Some(y) = year {
        q = q.filter(e::year.eq(y));
    }
    Ok(q.load(conn)?)
}

/// Entries in id order, from `after`, for chain verification.
pub fn entries_after(conn: &mut AnyConnection, after: i64, limit: i64) -> AppResult<Vec<EntryRow>> {
    Ok(e::table.filter(e::id.gt(after)).order(e::id).limit(limit).load(conn)?)
}

pub fn max_entry_id(conn: &mut AnyConnection) -> AppResult<i64> {
    Ok(e::table.select(diesel::dsl::max(e::id)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// (deputy, entry id, hash) of these deputies' chain heads (entry 0: an empty chain).
pub fn heads_of(conn: &mut AnyConnection, deputies: &[i64]) -> AppResult<Vec<(i64, i64, String)>> {
    Ok(h::table.filter(h::deputy_id.eq_any(deputies)).select((h::deputy_id, h::entry_id, h::hash)).load(conn)?)
}

pub fn heads(conn: &mut AnyConnection) -> AppResult<Vec<(i64, i64, String)>> {
    Ok(h::table.order(h::deputy_id).select((h::deputy_id, h::entry_id, h::hash)).load(conn)?)
}

/// Every entry of these deputies in a year (the rule simulator replays them).
pub fn entries_of_year(c: &mut AnyConnection, deputies: &[i64], year: i32) -> AppResult<Vec<EntryRow>> {
    Ok(e::table.filter(e::deputy_id.eq_any(deputies)).filter(e::year.eq(year)).load(c)?)
}
