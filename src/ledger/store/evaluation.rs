//! SQL of the annual evaluation: the settings kept per congress (`evaluation_settings`) and the
//! count of standing entries per deputy and rule.

use crate::db::schema::{evaluation_settings as es, ledger_entries as e};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

/// Settings as kept: (region, min group activities, min suggestions, excellent quota %, bottom n,
/// excluded deputies as comma-separated ids, the year a duty report is due by).
pub type SettingsRow = (i64, i32, i32, i32, i32, String, Option<i32>);

/// The settings kept for any of `regions`.
pub fn settings_of(c: &mut AnyConnection, regions: &[i64]) -> AppResult<Vec<SettingsRow>> {
    Ok(es::table
        .filter(es::region_id.eq_any(regions))
        .select((
            es::region_id,
            es::min_group_activities,
            es::min_suggestions,
            es::excellent_quota_pct,
            es::bottom_n,
            es::excluded_deputies,
            es::duty_report_due_year,
        ))
        .load(c)?)
}

/// The congresses (0: the installation) whose settings require a duty report by `year`.
pub fn due_in(c: &mut AnyConnection, year: i32) -> AppResult<Vec<i64>> {
    Ok(es::table.filter(es::duty_report_due_year.eq(year)).select(es::region_id).load(c)?)
}

/// Replaces a congress's settings (the row's region names it).
pub fn replace_settings(c: &mut AnyConnection, r: &SettingsRow, now: NaiveDateTime) -> AppResult<()> {
    diesel::delete(es::table.find(r.0)).execute(c)?;
    diesel::insert_into(es::table)
        .values((
            es::region_id.eq(r.0),
            es::min_group_activities.eq(r.1),
            es::min_suggestions.eq(r.2),
            es::excellent_quota_pct.eq(r.3),
            es::bottom_n.eq(r.4),
            es::excluded_deputies.eq(&r.5),
            es::duty_report_due_year.eq(r.6),
            es::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// (deputy, rule) → entries of the year that stand (not reversals, not reversed).
pub fn standing_counts(c: &mut AnyConnection, year: i32, codes: &[&str]) -> AppResult<HashMap<(i64, String), i64>> {
    let reversed: HashSet<i64> = e::table
        .filter(e::year.eq(year))
        .filter(e::reverses.is_not_null())
        .select(e::reverses)
        .load::<Option<i64>>(c)?
        .into_iter()
        .flatten()
        .collect();
    // Reversals are left out in memory (a `reverses IS NULL` filter reads through that index).
    let rows: Vec<(i64, i64, String, Option<i64>)> = e::table
        .filter(e::year.eq(year))
        .filter(e::rule_code.eq_any(codes))
        .select((e::id, e::deputy_id, e::rule_code, e::reverses))
        .load(c)?;
    let rows: Vec<(i64, i64, String)> =
        rows.into_iter().filter(|r| r.3.is_none()).map(|(id, d, code, _)| (id, d, code)).collect();
    let mut out: HashMap<(i64, String), i64> = HashMap::new();
    for (_, d, code) in rows.into_iter().filter(|r| !reversed.contains(&r.0)) {
        *out.entry((d, code)).or_default() += 1;
    }
    Ok(out)
}
