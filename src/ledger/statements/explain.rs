//! A deputy's points statement: every entry of a year explained by the rule version it applied
//! (name, clause, version, cap notes, reversals), and the totals by category; and who may read it.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::ledger::cache::LedgerCache;
use crate::ledger::model::{CategoryTotal, EntryView, PointsStatement};
use crate::ledger::store::{self, EntryRow, RuleRow};

pub fn explain(e: EntryRow, r: Option<&RuleRow>, reversed_by: Option<i64>) -> EntryView {
    EntryView {
        reversed_by,
        id: e.id,
        rule_name: r.map(|r| r.name.clone()).unwrap_or_default(),
        clause: r.map(|r| r.clause.clone()).unwrap_or_default(),
        rule_version: r.map(|r| r.version).unwrap_or_default(),
        rule_region_id: r.map(|r| r.region_id).unwrap_or_default(),
        rule_code: e.rule_code,
        category: e.category,
        points: e.points,
        requested_points: e.requested_points,
        cap_note: e.cap_note,
        occurred_at: utc(e.occurred_at),
        recorded_at: utc(e.recorded_at),
        source_kind: e.source_kind,
        source_id: e.source_id,
        actor: e.actor,
        reason: e.reason,
        reverses: e.reverses,
        hash: e.hash,
    }
}

pub fn statement(c: &mut AnyConnection, cache: &LedgerCache, deputy: i64, year: i32) -> AppResult<PointsStatement> {
    let entries = store::entries_of(c, deputy, Some(year))?;
    let reversed_by = store::reversals_of_deputy(c, deputy)?;
    // The rule versions cited: kept in memory (immutable), read in one query when new.
    let mut cited: Vec<i64> = entries.iter().map(|e| e.rule_id).collect();
    cited.sort_unstable();
    cited.dedup();
    let rules = cache.rules(c, &cited)?;
    let views = entries
        .into_iter()
        .map(|e| {
            let (rule_id, rv) = (e.rule_id, reversed_by.get(&e.id).copied());
            explain(e, rules.get(&rule_id).map(|r| &**r), rv)
        })
        .collect();
    let by_category: Vec<CategoryTotal> = store::balances_of(c, deputy, year)?
        .into_iter()
        .map(|(category, points, entries)| CategoryTotal { category, points, entries })
        .collect();
    Ok(PointsStatement {
        deputy_id: deputy,
        year,
        total: by_category.iter().map(|c| c.points).sum(),
        by_category,
        entries: views,
    })
}

/// Who may read a deputy's points and archive: the deputy, or staff in scope (404 otherwise,
/// also for other deputies, units and constituents).
pub fn may_read_points(c: &mut AnyConnection, p: &Principal, deputy: i64) -> AppResult<()> {
    let paths = crate::org::deputy_region_paths(c, deputy)?.ok_or_else(AppError::not_found)?;
    if p.deputy_id == Some(deputy) {
        return Ok(());
    }
    if matches!(p.role, Role::Deputy | Role::Unit | Role::Constituent) {
        return Err(AppError::not_found());
    }
    // Third-party clients read points with `ledger:read`, inside their region.
    if p.role == Role::Client {
        policy::scoped_read(p, policy::SCOPE_LEDGER_READ)?;
        return policy::within(p, &paths);
    }
    policy::authorize(p, Action::Read, &Target::many(Kind::Deputy, paths))
}
