//! What-if: a draft of rule changes replayed over a year's entries — each deputy's total and rank
//! as they are and as they would be. Nothing is written.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::ledger::store::ranks::RankScope;
use crate::ledger::store::EntryRow;
use chrono::TimeZone;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRule {
    pub code: String,
    pub points: i32,
    pub yearly_cap: Option<i32>,
    pub daily_cap: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    #[serde(deserialize_with = "crate::http::year")]
    #[schema(minimum = 1949, maximum = 2200)]
    pub year: i32,
    /// The congress whose deputies are replayed (default: the caller's scope).
    pub region_id: Option<i64>,
    pub rules: Vec<DraftRule>,
    /// How many deputies to list, by simulated rank (default 50, at most 1000).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SimulatedDeputy {
    pub deputy_id: i64,
    pub name: String,
    pub current_total: i64,
    pub simulated_total: i64,
    pub current_rank: usize,
    pub simulated_rank: usize,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SimulationResult {
    pub year: i32,
    pub deputies: usize,
    pub totals_changed: usize,
    pub ranks_changed: usize,
    /// By simulated rank.
    pub top: Vec<SimulatedDeputy>,
}

/// A deputy's total under the draft: entries of drafted rules get the draft's points and caps
/// (in the order they happened); reversals take back what their entry would have granted.
pub fn replay(entries: &[EntryRow], drafts: &HashMap<&str, &DraftRule>, tz: chrono_tz::Tz) -> i64 {
    let mut order: Vec<&EntryRow> = entries.iter().collect();
    order.sort_by_key(|e| (e.occurred_at, e.id));
    let mut granted: HashMap<i64, i32> = HashMap::new();
    let mut yearly: HashMap<&str, i32> = HashMap::new();
    let mut daily: HashMap<(&str, String), i32> = HashMap::new();
    for e in &order {
        let points = match (e.reverses, drafts.get(e.rule_code.as_str())) {
            (Some(_), _) => continue,
            (None, None) => e.points,
            (None, Some(d)) => {
                // Points set by people (maker-checker) stay; the rule's own points follow the draft.
                let requested = if e.source_kind == "manual" { e.requested_points } else { d.points };
                let y = yearly.entry(e.rule_code.as_str()).or_default();
                let mut p = crate::ledger::rules::apply_cap(requested, *y, d.yearly_cap).0;
                let day = tz.from_utc_datetime(&e.occurred_at).format("%Y-%m-%d").to_string();
                let dd = daily.entry((e.rule_code.as_str(), day)).or_default();
                p = crate::ledger::rules::apply_cap(p, *dd, d.daily_cap).0;
                *y += p;
                *dd += p;
                p
            }
        };
        granted.insert(e.id, points);
    }
    let reversals: i64 =
        order.iter().filter_map(|e| e.reverses).map(|r| -(granted.get(&r).copied().unwrap_or(0) as i64)).sum();
    granted.values().map(|p| *p as i64).sum::<i64>() + reversals
}

fn ranks(totals: &[(i64, i64)]) -> HashMap<i64, usize> {
    let mut sorted = totals.to_vec();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    crate::ledger::rules::ranked(&sorted).into_iter().map(|(d, _, rank)| (d, rank)).collect()
}

/// Replays `b.year` for the deputies of the region asked (or the caller's) with the drafts,
/// listing the first `limit` by simulated rank.
pub fn run(
    c: &mut AnyConnection,
    p: &Principal,
    b: &Simulation,
    tz: chrono_tz::Tz,
    limit: usize,
) -> AppResult<SimulationResult> {
    let path = match b.region_id.or(p.region_id) {
        Some(id) => {
            let path = crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?;
            policy::authorize(p, Action::Read, &Target::new(Kind::Region, path.clone()))?;
            path
        }
        None => "/".into(),
    };
    let current = crate::ledger::store::ranks::top(
        c,
        b.year,
        &RankScope { pattern: format!("{path}%"), level: None, group: None },
        i64::MAX,
    )?;
    let ids: Vec<i64> = current.iter().map(|x| x.0).collect();
    let drafts: HashMap<&str, &DraftRule> = b.rules.iter().map(|r| (r.code.as_str(), r)).collect();
    let mut simulated = vec![];
    for chunk in ids.chunks(2000) {
        let rows: Vec<EntryRow> = crate::ledger::store::entries_of_year(c, chunk, b.year)?;
        let mut by: HashMap<i64, Vec<EntryRow>> = HashMap::new();
        for r in rows {
            by.entry(r.deputy_id).or_default().push(r);
        }
        simulated.extend(chunk.iter().map(|d| (*d, by.get(d).map(|es| replay(es, &drafts, tz)).unwrap_or(0))));
    }
    let (before, after) = (ranks(&current), ranks(&simulated));
    let cur: HashMap<i64, i64> = current.iter().copied().collect();
    let mut out: Vec<SimulatedDeputy> = simulated
        .iter()
        .map(|(d, t)| SimulatedDeputy {
            deputy_id: *d,
            name: String::new(),
            current_total: cur.get(d).copied().unwrap_or(0),
            simulated_total: *t,
            current_rank: before.get(d).copied().unwrap_or(0),
            simulated_rank: after.get(d).copied().unwrap_or(0),
        })
        .collect();
    let totals_changed = out.iter().filter(|x| x.current_total != x.simulated_total).count();
    let ranks_changed = out.iter().filter(|x| x.current_rank != x.simulated_rank).count();
    out.sort_by_key(|x| (x.simulated_rank, x.deputy_id));
    out.truncate(limit);
    let names: HashMap<i64, String> =
        crate::org::deputy_names(c, &out.iter().map(|x| x.deputy_id).collect::<Vec<_>>())?.into_iter().collect();
    for x in &mut out {
        x.name = names.get(&x.deputy_id).cloned().unwrap_or_default();
    }
    Ok(SimulationResult { year: b.year, deputies: ids.len(), totals_changed, ranks_changed, top: out })
}
