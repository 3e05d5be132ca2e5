//! SQL of what each posting moves besides its entries: the deputies' chain heads, balances per
//! category and yearly totals. On SQLite these upserts are written as [`FixedRows`] (diesel never
//! keeps an upsert prepared; see `db::fixed_rows`); PostgreSQL runs diesel's.

use crate::db::fixed_rows::{self, FixedRows};
use crate::db::schema::ledger_entries as e;
use crate::db::schema::{ledger_balances as b, ledger_heads as h, ledger_totals as t};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::views::{self, Family};
use diesel::prelude::*;
use diesel::query_builder::AstPass;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::sqlite::Sqlite;
use diesel::upsert::excluded;
use std::collections::BTreeMap;

/// Moves the chain heads to (entry id, hash) per deputy.
pub fn set_heads(conn: &mut AnyConnection, heads: &BTreeMap<i64, (i64, String)>) -> AppResult<()> {
    match conn {
        AnyConnection::Sqlite(sq) => {
            let rows: Vec<(i64, i64, String)> = heads.iter().map(|(d, (id, hash))| (*d, *id, hash.clone())).collect();
            fixed_rows::execute::<SetHeads>(sq, &rows)?;
        }
        AnyConnection::Pg(pg) => {
            let rows: Vec<_> = heads
                .iter()
                .map(|(d, (id, hash))| (h::deputy_id.eq(*d), h::entry_id.eq(*id), h::hash.eq(hash.as_str())))
                .collect();
            for chunk in rows.chunks(1000) {
                diesel::insert_into(h::table)
                    .values(chunk)
                    .on_conflict(h::deputy_id)
                    .do_update()
                    .set((h::entry_id.eq(excluded(h::entry_id)), h::hash.eq(excluded(h::hash))))
                    .execute(pg)?;
            }
        }
    }
    Ok(())
}

struct SetHeads;

impl FixedRows for SetHeads {
    type Row = (i64, i64, String);
    const HEAD: &'static str = "INSERT INTO ledger_heads (deputy_id, entry_id, hash) VALUES ";
    const TAIL: &'static str =
        " ON CONFLICT (deputy_id) DO UPDATE SET entry_id = excluded.entry_id, hash = excluded.hash";
    fn row<'b>(r: &'b Self::Row, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        crate::bind_row!(out, BigInt => &r.0, BigInt => &r.1, Text => &r.2)
    }
}

/// Adds (points, entries) to balances per (deputy, year, category), in the entries' transaction
/// (the change to the deputies' points views is noted by `insert_entries`, which comes first).
pub fn add_balances(conn: &mut AnyConnection, add: &BTreeMap<(i64, i32, String), (i64, i64)>) -> AppResult<()> {
    match conn {
        AnyConnection::Sqlite(sq) => {
            let rows: Vec<(i64, i32, String, i64, i64)> =
                add.iter().map(|((d, y, c), (p, n))| (*d, *y, c.clone(), *p, *n)).collect();
            fixed_rows::execute::<AddBalances>(sq, &rows)?;
        }
        AnyConnection::Pg(pg) => {
            let rows: Vec<_> = add
                .iter()
                .map(|((d, y, c), (p, n))| {
                    (
                        b::deputy_id.eq(*d),
                        b::year.eq(*y),
                        b::category.eq(c.as_str()),
                        b::points.eq(*p),
                        b::entries.eq(*n),
                    )
                })
                .collect();
            for chunk in rows.chunks(1000) {
                diesel::insert_into(b::table)
                    .values(chunk)
                    .on_conflict((b::deputy_id, b::year, b::category))
                    .do_update()
                    .set((
                        b::points.eq(b::points + excluded(b::points)),
                        b::entries.eq(b::entries + excluded(b::entries)),
                    ))
                    .execute(pg)?;
            }
        }
    }
    Ok(())
}

struct AddBalances;

impl FixedRows for AddBalances {
    type Row = (i64, i32, String, i64, i64);
    const HEAD: &'static str = "INSERT INTO ledger_balances (deputy_id, year, category, points, entries) VALUES ";
    const TAIL: &'static str = " ON CONFLICT (deputy_id, year, category) DO UPDATE SET points = points + excluded.points, entries = entries + excluded.entries";
    fn row<'b>(r: &'b Self::Row, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        crate::bind_row!(out, BigInt => &r.0, Integer => &r.1, Text => &r.2, BigInt => &r.3, BigInt => &r.4)
    }
}

/// Adds points to yearly totals per (deputy, year), in the entries' transaction.
pub fn add_totals(conn: &mut AnyConnection, add: &BTreeMap<(i64, i32), i64>) -> AppResult<()> {
    match conn {
        AnyConnection::Sqlite(sq) => {
            let rows: Vec<(i64, i32, i64)> = add.iter().map(|((d, y), p)| (*d, *y, *p)).collect();
            fixed_rows::execute::<AddTotals>(sq, &rows)?;
        }
        AnyConnection::Pg(pg) => {
            let rows: Vec<_> =
                add.iter().map(|((d, y), p)| (t::deputy_id.eq(*d), t::year.eq(*y), t::points.eq(*p))).collect();
            for chunk in rows.chunks(1000) {
                diesel::insert_into(t::table)
                    .values(chunk)
                    .on_conflict((t::deputy_id, t::year))
                    .do_update()
                    .set(t::points.eq(t::points + excluded(t::points)))
                    .execute(pg)?;
            }
        }
    }
    Ok(())
}

struct AddTotals;

impl FixedRows for AddTotals {
    type Row = (i64, i32, i64);
    const HEAD: &'static str = "INSERT INTO ledger_totals (deputy_id, year, points) VALUES ";
    const TAIL: &'static str = " ON CONFLICT (deputy_id, year) DO UPDATE SET points = points + excluded.points";
    fn row<'b>(r: &'b Self::Row, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        crate::bind_row!(out, BigInt => &r.0, Integer => &r.1, BigInt => &r.2)
    }
}

/// (deputy, year, category) → (points, entries).
pub type BalanceMap = std::collections::BTreeMap<(i64, i32, String), (i64, i64)>;

/// Sums of every entry per (deputy, year, category), recomputed from the entries.
pub fn recomputed_balances(conn: &mut AnyConnection) -> AppResult<BalanceMap> {
    let rows: Vec<(i64, i32, String, i32)> =
        e::table.select((e::deputy_id, e::year, e::category, e::points)).load(conn)?;
    let mut m = BalanceMap::new();
    for (d, y, c, p) in rows {
        let v: &mut (i64, i64) = m.entry((d, y, c)).or_default();
        v.0 += p as i64;
        v.1 += 1;
    }
    Ok(m)
}

pub fn stored_balances(conn: &mut AnyConnection) -> AppResult<BalanceMap> {
    let rows: Vec<(i64, i32, String, i64, i64)> =
        b::table.select((b::deputy_id, b::year, b::category, b::points, b::entries)).load(conn)?;
    Ok(rows.into_iter().map(|(d, y, c, p, n)| ((d, y, c), (p, n))).collect())
}

pub fn replace_balances(conn: &mut AnyConnection, all: &BalanceMap) -> AppResult<()> {
    views::touch_all(Family::Points);
    diesel::delete(b::table).execute(conn)?;
    for ((d, y, c), (p, n)) in all {
        diesel::insert_into(b::table)
            .values((b::deputy_id.eq(d), b::year.eq(y), b::category.eq(c), b::points.eq(p), b::entries.eq(n)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn balances_of(conn: &mut AnyConnection, deputy: i64, year: i32) -> AppResult<Vec<(String, i64, i64)>> {
    Ok(b::table
        .filter(b::deputy_id.eq(deputy))
        .filter(b::year.eq(year))
        .order(b::category)
        .select((b::category, b::points, b::entries))
        .load(conn)?)
}

pub fn replace_totals(conn: &mut AnyConnection, all: &BalanceMap) -> AppResult<()> {
    diesel::delete(t::table).execute(conn)?;
    let mut sums: std::collections::BTreeMap<(i64, i32), i64> = std::collections::BTreeMap::new();
    for ((d, y, _), (p, _)) in all {
        *sums.entry((*d, *y)).or_default() += p;
    }
    for ((d, y), p) in sums {
        diesel::insert_into(t::table).values((t::deputy_id.eq(d), t::year.eq(y), t::points.eq(p))).execute(conn)?;
    }
    Ok(())
}
