//! All SQL of the ledger: rules, entries, balances and chain heads.

use super::rules::DEFAULT_RULES;
use crate::db::schema::{ledger_balances as b, ledger_entries as e, ledger_heads as h, ledger_totals as t, point_rules as r};
use crate::db::schema::{regions as rg, seats as se};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct RuleRow {
    pub id: i64,
    pub region_id: i64,
    pub version: i32,
    pub code: String,
    pub name: String,
    pub category: String,
    pub points: i32,
    pub yearly_cap: Option<i32>,
    pub daily_cap: Option<i32>,
    pub needs_review: bool,
    pub clause: String,
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Installs the default rulebook (region 0, version 1) when it is missing.
pub fn ensure_default_rules(conn: &mut AnyConnection, now: NaiveDateTime) -> AppResult<()> {
    let have: i64 = r::table.filter(r::region_id.eq(0)).count().get_result(conn)?;
    if have > 0 {
        return Ok(());
    }
    for (code, name, category, points, yearly, daily, review, clause) in DEFAULT_RULES {
        diesel::insert_into(r::table)
            .values((
                r::region_id.eq(0),
                r::version.eq(1),
                r::code.eq(code),
                r::name.eq(name),
                r::category.eq(category),
                r::points.eq(points),
                r::yearly_cap.eq(yearly),
                r::daily_cap.eq(daily),
                r::needs_review.eq(review),
                r::clause.eq(clause),
                r::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The newest version of a rule in the default rulebook.
pub fn current_rule(conn: &mut AnyConnection, code: &str) -> AppResult<Option<RuleRow>> {
    Ok(r::table.filter(r::region_id.eq(0)).filter(r::code.eq(code)).order(r::version.desc()).first(conn).optional()?)
}

/// The newest version of a rule in effect on `day` (YYYY-MM-DD in the congress time zone).
pub fn rule_on(conn: &mut AnyConnection, code: &str, day: &str) -> AppResult<Option<RuleRow>> {
    Ok(r::table
        .filter(r::region_id.eq(0))
        .filter(r::code.eq(code))
        .filter(r::effective_from.is_null().or(r::effective_from.le(day.to_string())))
        .filter(r::effective_to.is_null().or(r::effective_to.ge(day.to_string())))
        .order(r::version.desc())
        .first(conn)
        .optional()?)
}

#[derive(Insertable)]
#[diesel(table_name = r)]
pub struct NewRule<'a> {
    pub region_id: i64,
    pub version: i32,
    pub code: &'a str,
    pub name: &'a str,
    pub category: &'a str,
    pub points: i32,
    pub yearly_cap: Option<i32>,
    pub daily_cap: Option<i32>,
    pub needs_review: bool,
    pub clause: &'a str,
    pub effective_from: Option<&'a str>,
    pub effective_to: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert_rule(conn: &mut AnyConnection, n: &NewRule) -> AppResult<i64> {
    Ok(diesel::insert_into(r::table).values(n).returning(r::id).get_result(conn)?)
}

pub fn max_version(conn: &mut AnyConnection, code: &str) -> AppResult<i32> {
    let v: Option<i32> = r::table.filter(r::region_id.eq(0)).filter(r::code.eq(code)).select(diesel::dsl::max(r::version)).first(conn)?;
    Ok(v.unwrap_or(0))
}

/// (deputy, year, category) → (points, entries).
pub type BalanceMap = std::collections::BTreeMap<(i64, i32, String), (i64, i64)>;

/// Sums of every entry per (deputy, year, category), recomputed from the entries.
pub fn recomputed_balances(conn: &mut AnyConnection) -> AppResult<BalanceMap> {
    let rows: Vec<(i64, i32, String, i32)> = e::table.select((e::deputy_id, e::year, e::category, e::points)).load(conn)?;
    let mut m = BalanceMap::new();
    for (d, y, c, p) in rows {
        let v: &mut (i64, i64) = m.entry((d, y, c)).or_default();
        v.0 += p as i64;
        v.1 += 1;
    }
    Ok(m)
}

pub fn stored_balances(conn: &mut AnyConnection) -> AppResult<BalanceMap> {
    let rows: Vec<(i64, i32, String, i64, i64)> = b::table.select((b::deputy_id, b::year, b::category, b::points, b::entries)).load(conn)?;
    Ok(rows.into_iter().map(|(d, y, c, p, n)| ((d, y, c), (p, n))).collect())
}

pub fn replace_balances(conn: &mut AnyConnection, all: &BalanceMap) -> AppResult<()> {
    diesel::delete(b::table).execute(conn)?;
    for ((d, y, c), (p, n)) in all {
        diesel::insert_into(b::table).values((b::deputy_id.eq(d), b::year.eq(y), b::category.eq(c), b::points.eq(p), b::entries.eq(n))).execute(conn)?;
    }
    Ok(())
}

pub fn current_rules(conn: &mut AnyConnection) -> AppResult<Vec<RuleRow>> {
    let all: Vec<RuleRow> = r::table.filter(r::region_id.eq(0)).order((r::code, r::version.desc())).load(conn)?;
    let mut out: Vec<RuleRow> = vec![];
    for rule in all {
        if out.last().is_none_or(|l| l.code != rule.code) {
            out.push(rule);
        }
    }
    Ok(out)
}

pub fn rule(conn: &mut AnyConnection, id: i64) -> AppResult<Option<RuleRow>> {
    Ok(r::table.find(id).first(conn).optional()?)
}

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

#[derive(Insertable)]
#[diesel(table_name = e, treat_none_as_null = true)]
pub struct NewEntry<'a> {
    pub deputy_id: i64,
    pub rule_id: i64,
    pub rule_code: &'a str,
    pub category: &'a str,
    pub year: i32,
    pub points: i32,
    pub requested_points: i32,
    pub cap_note: Option<&'a str>,
    pub occurred_at: NaiveDateTime,
    pub recorded_at: NaiveDateTime,
    pub source_kind: &'a str,
    pub source_id: &'a str,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
    pub reverses: Option<i64>,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

pub fn insert_entry(conn: &mut AnyConnection, n: &NewEntry) -> AppResult<i64> {
    Ok(diesel::insert_into(e::table).values(n).returning(e::id).get_result(conn)?)
}

pub fn entry(conn: &mut AnyConnection, id: i64) -> AppResult<Option<EntryRow>> {
    Ok(e::table.find(id).first(conn).optional()?)
}

pub fn by_source(conn: &mut AnyConnection, deputy: i64, kind: &str, id: &str, rule_code: &str) -> AppResult<Option<EntryRow>> {
    Ok(e::table
        .filter(e::deputy_id.eq(deputy))
        .filter(e::source_kind.eq(kind))
        .filter(e::source_id.eq(id))
        .filter(e::rule_code.eq(rule_code))
        .first(conn)
        .optional()?)
}

/// Reversed entry id → the entry that reversed it, for the given entries (one query).
pub fn reversals_of(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> = e::table.filter(e::reverses.eq_any(ids.to_vec())).select((e::reverses, e::id)).load(conn)?;
    Ok(rows.into_iter().filter_map(|(r, id)| r.map(|r| (r, id))).collect())
}

/// The entry that reverses `id`, if any.
pub fn reversal_of(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(e::table.filter(e::reverses.eq(id)).select(e::id).first(conn).optional()?)
}

/// Points granted under a rule to a deputy between two instants (for caps).
pub fn granted_between(conn: &mut AnyConnection, deputy: i64, rule_code: &str, from: NaiveDateTime, to: NaiveDateTime) -> AppResult<i32> {
    let pts: Vec<i32> = e::table
        .filter(e::deputy_id.eq(deputy))
        .filter(e::rule_code.eq(rule_code))
        .filter(e::occurred_at.ge(from))
        .filter(e::occurred_at.lt(to))
        .select(e::points)
        .load(conn)?;
    Ok(pts.into_iter().sum())
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

/// Makes sure the deputy has a head row and locks it for this transaction, so awards for one
/// deputy queue instead of racing (a head with entry 0 is an empty chain).
pub fn lock_head(conn: &mut AnyConnection, deputy: i64) -> AppResult<()> {
    let values = (h::deputy_id.eq(deputy), h::entry_id.eq(0i64), h::hash.eq(super::rules::GENESIS));
    match conn {
        AnyConnection::Pg(pg) => diesel::insert_into(h::table).values(values).on_conflict_do_nothing().execute(pg)?,
        AnyConnection::Sqlite(sq) => diesel::insert_into(h::table).values(values).on_conflict_do_nothing().execute(sq)?,
    };
    diesel::update(h::table.filter(h::deputy_id.eq(deputy))).set(h::hash.eq(h::hash)).execute(conn)?;
    Ok(())
}

pub fn max_entry_id(conn: &mut AnyConnection) -> AppResult<i64> {
    Ok(e::table.select(diesel::dsl::max(e::id)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

pub fn head(conn: &mut AnyConnection, deputy: i64) -> AppResult<Option<(i64, String)>> {
    Ok(h::table.find(deputy).select((h::entry_id, h::hash)).first(conn).optional()?)
}

/// Moves the chain head from `prev` (None = no chain yet); false when someone else moved it first.
pub fn move_head(conn: &mut AnyConnection, deputy: i64, prev: Option<&str>, entry_id: i64, hash: &str) -> AppResult<bool> {
    match prev {
        None => {
            let n = match conn {
                AnyConnection::Pg(pg) => diesel::insert_into(h::table)
                    .values((h::deputy_id.eq(deputy), h::entry_id.eq(entry_id), h::hash.eq(hash)))
                    .on_conflict_do_nothing()
                    .execute(pg)?,
                AnyConnection::Sqlite(sq) => diesel::insert_into(h::table)
                    .values((h::deputy_id.eq(deputy), h::entry_id.eq(entry_id), h::hash.eq(hash)))
                    .on_conflict_do_nothing()
                    .execute(sq)?,
            };
            Ok(n == 1)
        }
        Some(p) => Ok(diesel::update(h::table.filter(h::deputy_id.eq(deputy)).filter(h::hash.eq(p)))
            .set((h::entry_id.eq(entry_id), h::hash.eq(hash)))
            .execute(conn)?
            == 1),
    }
}

pub fn heads(conn: &mut AnyConnection) -> AppResult<Vec<(i64, i64, String)>> {
    Ok(h::table.order(h::deputy_id).select((h::deputy_id, h::entry_id, h::hash)).load(conn)?)
}

/// Adds to a balance in the same transaction as the entry (upsert: one builder per backend).
pub fn add_balance(conn: &mut AnyConnection, deputy: i64, year: i32, category: &str, points: i32) -> AppResult<()> {
    let values = (b::deputy_id.eq(deputy), b::year.eq(year), b::category.eq(category), b::points.eq(points as i64), b::entries.eq(1i64));
    let target = (b::deputy_id, b::year, b::category);
    match conn {
        AnyConnection::Pg(pg) => diesel::insert_into(b::table)
            .values(values)
            .on_conflict(target)
            .do_update()
            .set((b::points.eq(b::points + points as i64), b::entries.eq(b::entries + 1)))
            .execute(pg)?,
        AnyConnection::Sqlite(sq) => diesel::insert_into(b::table)
            .values(values)
            .on_conflict(target)
            .do_update()
            .set((b::points.eq(b::points + points as i64), b::entries.eq(b::entries + 1)))
            .execute(sq)?,
    };
    Ok(())
}

pub fn balances_of(conn: &mut AnyConnection, deputy: i64, year: i32) -> AppResult<Vec<(String, i64, i64)>> {
    Ok(b::table.filter(b::deputy_id.eq(deputy)).filter(b::year.eq(year)).order(b::category).select((b::category, b::points, b::entries)).load(conn)?)
}

/// Adds to the deputy's yearly total (same transaction as the entry).
pub fn add_total(conn: &mut AnyConnection, deputy: i64, year: i32, points: i32) -> AppResult<()> {
    let values = (t::deputy_id.eq(deputy), t::year.eq(year), t::points.eq(points as i64));
    match conn {
        AnyConnection::Pg(pg) => diesel::insert_into(t::table)
            .values(values)
            .on_conflict((t::deputy_id, t::year))
            .do_update()
            .set(t::points.eq(t::points + points as i64))
            .execute(pg)?,
        AnyConnection::Sqlite(sq) => diesel::insert_into(t::table)
            .values(values)
            .on_conflict((t::deputy_id, t::year))
            .do_update()
            .set(t::points.eq(t::points + points as i64))
            .execute(sq)?,
    };
    Ok(())
}

/// Top `limit` (deputy, points) of a year among deputies with a seat under `scope` (a region path
/// pattern; `/%` = everyone), highest first; equal totals by deputy id.
pub fn top(conn: &mut AnyConnection, year: i32, scope: &str, limit: i64) -> AppResult<Vec<(i64, i64)>> {
    let base = t::table.filter(t::year.eq(year)).order((t::points.desc(), t::deputy_id)).limit(limit).select((t::deputy_id, t::points));
    Ok(if scope == "/%" {
        base.load(conn)?
    } else {
        base.filter(t::deputy_id.eq_any(se::table.inner_join(rg::table).filter(rg::path.like(scope.to_string())).select(se::deputy_id))).load(conn)?
    })
}

pub const EXCUSED: [&str; 1] = ["meeting_excused"];
pub const UNEXCUSED: [&str; 4] = ["meeting_absent", "training_absent", "group_activity_absent", "duty_no_show"];

/// (excused, unexcused) absences of a year per deputy, not counting reversed entries.
pub fn absences(conn: &mut AnyConnection, deputies: &[i64], year: i32) -> AppResult<std::collections::HashMap<i64, (i64, i64)>> {
    let reversed: Vec<Option<i64>> =
        e::table.filter(e::reverses.is_not_null()).filter(e::deputy_id.eq_any(deputies.to_vec())).select(e::reverses).load(conn)?;
    let reversed: std::collections::HashSet<i64> = reversed.into_iter().flatten().collect();
    let rows: Vec<(i64, i64, String)> = e::table
        .filter(e::deputy_id.eq_any(deputies.to_vec()))
        .filter(e::year.eq(year))
        .filter(e::reverses.is_null())
        .filter(e::rule_code.eq_any(EXCUSED.iter().chain(UNEXCUSED.iter()).map(|s| s.to_string()).collect::<Vec<_>>()))
        .select((e::id, e::deputy_id, e::rule_code))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    for (_, d, code) in rows.into_iter().filter(|r| !reversed.contains(&r.0)) {
        let v = out.entry(d).or_default();
        if EXCUSED.contains(&code.as_str()) {
            v.0 += 1;
        } else {
            v.1 += 1;
        }
    }
    Ok(out)
}

/// (deputies ranked in scope, how many have more than `points`, how many have at most `points`).
pub fn standing(conn: &mut AnyConnection, year: i32, scope: &str, points: i64) -> AppResult<(i64, i64, i64)> {
    let rows: Vec<i64> = if scope == "/%" {
        t::table.filter(t::year.eq(year)).select(t::points).load(conn)?
    } else {
        t::table
            .filter(t::year.eq(year))
            .filter(t::deputy_id.eq_any(se::table.inner_join(rg::table).filter(rg::path.like(scope.to_string())).select(se::deputy_id)))
            .select(t::points)
            .load(conn)?
    };
    let above = rows.iter().filter(|p| **p > points).count() as i64;
    Ok((rows.len() as i64, above, rows.len() as i64 - above))
}

pub fn total_of(conn: &mut AnyConnection, deputy: i64, year: i32) -> AppResult<Option<i64>> {
    Ok(t::table.find((deputy, year)).select(t::points).first(conn).optional()?)
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
