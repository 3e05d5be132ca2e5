//! What the ledger keeps in memory on each instance, so hot reads skip queries:
//!
//! - **rule versions by id**: a version is never changed once stored (a new version is a new
//!   row), so a kept one is right on every instance for as long as it is kept. A points statement
//!   cites a handful; reading them here spares a query whose `IN` list SQLite must parse and plan
//!   again on every call.
//! - **the details of a top list** (names, excused and unexcused absences) for two seconds, keyed
//!   by the list itself — who, with how many points. Every deputy asking for their place sees the
//!   same top 20; the absences of 20 deputies were half the cost of a ranking read. A new absence
//!   changes the absent deputy's points and so the key; only a renamed deputy, or an absence
//!   worth zero points, shows up to two seconds late (the leaderboard itself trails the ledger by
//!   its 250 ms outbox cycle).
//! - **a leaderboard's top list** per (year, scope, length) for 250 ms — the leaderboard's own
//!   update cycle — with the generation it was read from, so that a deputy asking for their
//!   place asks the leaderboard only for their own score and counts (a cheap call) instead of
//!   the whole list each time. Applying leaderboard changes here forgets them at once; changes
//!   applied by another instance show when they expire.

use super::store::rulebook::RuleRow;
use crate::db::AnyConnection;
use crate::error::AppResult;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Names and (excused, unexcused) absences of the deputies on a top list.
pub type TopDetails = Arc<(HashMap<i64, String>, HashMap<i64, (i64, i64)>)>;

fn top_key(year: i32, top: &[(i64, i64, usize)]) -> (i32, Vec<(i64, i64)>) {
    (year, top.iter().map(|t| (t.0, t.1)).collect())
}

/// A leaderboard's top list as read: (generation, members with scores, highest first).
pub type TopList = Arc<(i64, Vec<(String, f64)>)>;

#[derive(Clone)]
pub struct LedgerCache {
    rules: moka::sync::Cache<i64, Arc<RuleRow>>,
    tops: moka::sync::Cache<(i32, Vec<(i64, i64)>), TopDetails>,
    lists: moka::sync::Cache<(i32, String, u64), TopList>,
}

impl Default for LedgerCache {
    fn default() -> Self {
        LedgerCache {
            rules: moka::sync::Cache::new(20_000),
            tops: moka::sync::Cache::builder().max_capacity(2_000).time_to_live(Duration::from_secs(2)).build(),
            lists: moka::sync::Cache::builder().max_capacity(2_000).time_to_live(Duration::from_millis(250)).build(),
        }
    }
}

impl LedgerCache {
    /// The rule versions with these ids (unknown ids are left out); reads only those not kept.
    pub fn rules(&self, c: &mut AnyConnection, ids: &[i64]) -> AppResult<HashMap<i64, Arc<RuleRow>>> {
        let mut found: HashMap<i64, Arc<RuleRow>> =
            ids.iter().filter_map(|id| self.rules.get(id).map(|r| (*id, r))).collect();
        let missing: Vec<i64> = ids.iter().copied().filter(|id| !found.contains_key(id)).collect();
        if !missing.is_empty() {
            for r in super::store::rulebook::rules_by_id(c, &missing)? {
                let r = Arc::new(r);
                self.rules.insert(r.id, r.clone());
                found.insert(r.id, r);
            }
        }
        Ok(found)
    }

    /// The kept top list of a leaderboard scope, if any.
    pub fn kept_list(&self, year: i32, scope: &str, n: u64) -> Option<TopList> {
        self.lists.get(&(year, scope.to_string(), n))
    }

    /// Keeps a top list just read from the leaderboard.
    pub fn keep_list(&self, year: i32, scope: &str, n: u64, list: TopList) {
        self.lists.insert((year, scope.to_string(), n), list);
    }

    /// Forgets the kept top lists (this instance just changed a leaderboard).
    pub fn forget_lists(&self) {
        self.lists.invalidate_all();
    }

    /// The kept details of `top`, if any (no connection needed).
    pub fn kept_top_details(&self, year: i32, top: &[(i64, i64, usize)]) -> Option<TopDetails> {
        self.tops.get(&top_key(year, top))
    }

    /// Names and absences of the deputies on `top` — (deputy, points, rank) — in `year`.
    pub fn top_details(&self, c: &mut AnyConnection, year: i32, top: &[(i64, i64, usize)]) -> AppResult<TopDetails> {
        let key = top_key(year, top);
        if let Some(d) = self.tops.get(&key) {
            return Ok(d);
        }
        let ids: Vec<i64> = top.iter().map(|t| t.0).collect();
        let names = crate::org::deputy_names(c, &ids)?.into_iter().collect();
        let details: TopDetails = Arc::new((names, super::store::ranks::absences(c, &ids, year)?));
        self.tops.insert(key, details.clone());
        Ok(details)
    }
}
