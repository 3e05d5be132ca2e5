//! SQL of rankings: top totals in a scope, a deputy's standing, absences.

use crate::db::schema::{ledger_entries as e, ledger_totals as t};
use crate::db::schema::{regions as rg, seats as se};
use crate::db::AnyConnection;
use crate::error::AppResult;
use diesel::prelude::*;

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
