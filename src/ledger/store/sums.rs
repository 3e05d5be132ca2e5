//! SQL of what each posting moves besides its entries: the deputies' chain heads, balances per
//! category and yearly totals, each one upsert declared once for both backends
//! ([`crate::fixed_rows!`]); and balances recomputed from the entries.

use crate::db::fixed_rows;
use crate::db::schema::{ledger_balances as b, ledger_entries as e, ledger_totals as t};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::views::{self, Family};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use std::collections::BTreeMap;

crate::fixed_rows! {
    SetHeads(deputy: i64 => BigInt, entry: i64 => BigInt, hash: String => Text)
    "INSERT INTO ledger_heads (deputy_id, entry_id, hash) VALUES "
    " ON CONFLICT (deputy_id) DO UPDATE SET entry_id = excluded.entry_id, hash = excluded.hash"
}

crate::fixed_rows! {
    AddBalances(deputy: i64 => BigInt, year: i32 => Integer, category: String => Text, points: i64 => BigInt, entries: i64 => BigInt)
    "INSERT INTO ledger_balances (deputy_id, year, category, points, entries) VALUES "
    " ON CONFLICT (deputy_id, year, category) DO UPDATE SET points = ledger_balances.points + excluded.points, entries = ledger_balances.entries + excluded.entries"
}

crate::fixed_rows! {
    AddTotals(deputy: i64 => BigInt, year: i32 => Integer, points: i64 => BigInt)
    "INSERT INTO ledger_totals (deputy_id, year, points) VALUES "
    " ON CONFLICT (deputy_id, year) DO UPDATE SET points = ledger_totals.points + excluded.points"
}

/// Moves the chain heads to (entry id, hash) per deputy.
pub fn set_heads(conn: &mut AnyConnection, heads: &BTreeMap<i64, (i64, String)>) -> AppResult<()> {
    let rows: Vec<(i64, i64, String)> = heads.iter().map(|(d, (id, hash))| (*d, *id, hash.clone())).collect();
    Ok(fixed_rows::execute::<SetHeads>(conn, &rows)?)
}

/// Adds (points, entries) to balances per (deputy, year, category), in the entries' transaction
/// (the change to the deputies' points views is noted by `insert_entries`, which comes first).
pub fn add_balances(conn: &mut AnyConnection, add: &BTreeMap<(i64, i32, String), (i64, i64)>) -> AppResult<()> {
    let rows: Vec<(i64, i32, String, i64, i64)> =
        add.iter().map(|((d, y, c), (p, n))| (*d, *y, c.clone(), *p, *n)).collect();
    Ok(fixed_rows::execute::<AddBalances>(conn, &rows)?)
}

/// Adds points to yearly totals per (deputy, year), in the entries' transaction.
pub fn add_totals(conn: &mut AnyConnection, add: &BTreeMap<(i64, i32), i64>) -> AppResult<()> {
    let rows: Vec<(i64, i32, i64)> = add.iter().map(|((d, y), p)| (*d, *y, *p)).collect();
    Ok(fixed_rows::execute::<AddTotals>(conn, &rows)?)
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
