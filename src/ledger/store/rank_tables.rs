//! SQL of the rankings kept in the database (`LVZHI_RANKINGS=sql`): which years are kept, each
//! deputy's total per scope, and per scope how many deputies hold each total.

use crate::db::schema::{ledger_rank_counts as n, ledger_rank_members as m, ledger_rank_tables as y};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::ledger::rules::{RankChange, RankRows};
use diesel::prelude::*;
use std::collections::HashSet;

/// Of these years, those whose tables are kept (built, or being built).
pub fn kept_years(c: &mut AnyConnection, years: &HashSet<i32>) -> AppResult<HashSet<i32>> {
    let of = crate::db::any_of::any_of(y::year, years.iter().copied());
    let found: Vec<i32> = crate::per_backend!(&mut *c, |c| y::table.filter(of).select(y::year).load(c))?;
    Ok(found.into_iter().collect())
}

/// Whether the year's tables are complete (answers may be read from them).
pub fn built(c: &mut AnyConnection, year: i32) -> AppResult<bool> {
    Ok(y::table.find(year).select(y::built_at.is_not_null()).first::<bool>(c).optional()?.unwrap_or(false))
}

/// Starts keeping a year (its rows are maintained from now on); nothing when already kept.
pub fn keep(c: &mut AnyConnection, year: i32) -> AppResult<()> {
    crate::per_backend!(&mut *c, |x| diesel::insert_into(y::table)
        .values(y::year.eq(year))
        .on_conflict_do_nothing()
        .execute(x))?;
    Ok(())
}

pub fn mark_built(c: &mut AnyConnection, year: i32, at: chrono::NaiveDateTime) -> AppResult<()> {
    diesel::update(y::table.find(year)).set(y::built_at.eq(at)).execute(c)?;
    Ok(())
}

/// The stored rows of these deputies in these years.
pub fn members_of(c: &mut AnyConnection, deputies: &[i64], years: &[i32]) -> AppResult<RankRows> {
    let rows: Vec<(i32, String, i64, i64)> = m::table
        .filter(m::year.eq_any(years.to_vec()))
        .filter(m::deputy_id.eq_any(deputies.to_vec()))
        .select((m::year, m::scope, m::deputy_id, m::points))
        .load(c)?;
    Ok(rows.into_iter().map(|(yr, s, d, p)| ((yr, s, d), p)).collect())
}

/// Writes a change of the kept rows and their counts.
pub fn write(c: &mut AnyConnection, change: &RankChange) -> AppResult<()> {
    let RankChange { gone, set, deltas } = change;
    use diesel::upsert::excluded;
    for (yr, s, d) in gone {
        diesel::delete(m::table.find((*yr, *d, s.as_str()))).execute(c)?;
    }
    let rows: Vec<_> = set
        .iter()
        .map(|((yr, s, d), p)| (m::year.eq(*yr), m::scope.eq(s.as_str()), m::deputy_id.eq(*d), m::points.eq(*p)))
        .collect();
    for chunk in rows.chunks(1000) {
        crate::per_backend!(&mut *c, |x| diesel::insert_into(m::table)
            .values(chunk)
            .on_conflict((m::year, m::deputy_id, m::scope))
            .do_update()
            .set(m::points.eq(excluded(m::points)))
            .execute(x))?;
    }
    let rows: Vec<_> = deltas
        .iter()
        .map(|((yr, s, p), k)| (n::year.eq(*yr), n::scope.eq(s.as_str()), n::points.eq(*p), n::n.eq(*k)))
        .collect();
    for chunk in rows.chunks(1000) {
        crate::per_backend!(&mut *c, |x| diesel::insert_into(n::table)
            .values(chunk)
            .on_conflict((n::year, n::scope, n::points))
            .do_update()
            .set(n::n.eq(n::n + excluded(n::n)))
            .execute(x))?;
    }
    Ok(())
}

/// (points, how many deputies hold them) in a scope, those with none left out.
pub fn counts(c: &mut AnyConnection, year: i32, scope: &str) -> AppResult<Vec<(i64, i64)>> {
    Ok(n::table
        .filter(n::year.eq(year))
        .filter(n::scope.eq(scope))
        .filter(n::n.gt(0))
        .select((n::points, n::n))
        .load(c)?)
}

/// The first `limit` (deputy, points) of a scope: highest first, equal totals by deputy id.
pub fn top(c: &mut AnyConnection, year: i32, scope: &str, limit: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(m::table
        .filter(m::year.eq(year))
        .filter(m::scope.eq(scope))
        .order((m::points.desc(), m::deputy_id))
        .limit(limit)
        .select((m::deputy_id, m::points))
        .load(c)?)
}

/// A deputy's points in a scope, when they are ranked there.
pub fn points_in(c: &mut AnyConnection, year: i32, scope: &str, deputy: i64) -> AppResult<Option<i64>> {
    Ok(m::table.find((year, deputy, scope)).select(m::points).first(c).optional()?)
}
