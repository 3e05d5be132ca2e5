//! Chain verification: every deputy's chain recomputed from its entries (and the heads checked
//! against the last entry), one chain up to an entry, and balances recomputed from the entries.

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::ledger::awards::stamp;
use crate::ledger::rules::{self, Canonical, GENESIS};
use crate::ledger::store::{self, EntryRow};

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Verification {
    pub ok: bool,
    pub entries_checked: i64,
    pub deputies_checked: i64,
    /// The first entry whose hash or link does not match.
    pub first_broken_entry: Option<i64>,
    pub broken_deputy: Option<i64>,
}

/// The hash an entry must carry when it follows `prev`.
pub fn expected_hash(prev: &str, e: &EntryRow) -> String {
    let canonical = Canonical {
        deputy_id: e.deputy_id,
        rule_id: e.rule_id,
        rule_code: &e.rule_code,
        points: e.points,
        requested_points: e.requested_points,
        cap_note: e.cap_note.as_deref(),
        occurred_at: &stamp(e.occurred_at),
        recorded_at: &stamp(e.recorded_at),
        source_kind: &e.source_kind,
        source_id: &e.source_id,
        actor: &e.actor,
        reason: e.reason.as_deref(),
        reverses: e.reverses,
    };
    rules::chain_hash(prev, &canonical)
}

/// Recomputes one deputy's chain up to entry `upto`; the first broken entry, if any.
pub fn verify_chain(c: &mut AnyConnection, deputy: i64, upto: i64) -> AppResult<Option<i64>> {
    let mut prev = GENESIS.to_string();
    for e in store::entries_of(c, deputy, None)?.into_iter().filter(|e| e.id <= upto) {
        if e.prev_hash != prev || expected_hash(&prev, &e) != e.hash {
            return Ok(Some(e.id));
        }
        prev = e.hash;
    }
    Ok(None)
}

/// Recomputes every chain from the entries (and checks the heads point at the last entry).
pub fn verify(c: &mut AnyConnection) -> AppResult<Verification> {
    let mut last: std::collections::HashMap<i64, (i64, String)> = std::collections::HashMap::new();
    let (mut after, mut checked) = (0i64, 0i64);
    // Entries recorded while we verify are left for the next run.
    let upto = store::max_entry_id(c)?;
    loop {
        let batch: Vec<EntryRow> = store::entries_after(c, after, 5000)?.into_iter().filter(|e| e.id <= upto).collect();
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            checked += 1;
            let prev = last.get(&e.deputy_id).map(|x| x.1.clone()).unwrap_or_else(|| GENESIS.to_string());
            if e.prev_hash != prev || expected_hash(&prev, e) != e.hash {
                return Ok(Verification {
                    ok: false,
                    entries_checked: checked,
                    deputies_checked: last.len() as i64,
                    first_broken_entry: Some(e.id),
                    broken_deputy: Some(e.deputy_id),
                });
            }
            last.insert(e.deputy_id, (e.id, e.hash.clone()));
        }
        after = batch.last().map(|e| e.id).unwrap_or(after);
    }
    for (deputy, entry_id, hash) in store::heads(c)? {
        if entry_id > upto {
            continue;
        }
        let expected = if entry_id == 0 { None } else { Some(&(entry_id, hash)) };
        if last.get(&deputy) != expected {
            return Ok(Verification {
                ok: false,
                entries_checked: checked,
                deputies_checked: last.len() as i64,
                first_broken_entry: Some(entry_id),
                broken_deputy: Some(deputy),
            });
        }
    }
    Ok(Verification {
        ok: true,
        entries_checked: checked,
        deputies_checked: last.len() as i64,
        first_broken_entry: None,
        broken_deputy: None,
    })
}

/// Recomputes balances from the entries; returns the (deputy, year, category) keys that differed
/// and rewrites the table when `fix`.
pub fn rebuild_balances(c: &mut AnyConnection, fix: bool) -> AppResult<Vec<String>> {
    let want = store::recomputed_balances(c)?;
    let have = store::stored_balances(c)?;
    let mut diffs = vec![];
    for (k, v) in &want {
        if have.get(k) != Some(v) {
            diffs.push(format!("deputy {} {} {}: stored {:?}, entries say {:?}", k.0, k.1, k.2, have.get(k), v));
        }
    }
    for k in have.keys().filter(|k| !want.contains_key(*k)) {
        diffs.push(format!("deputy {} {} {}: stored without entries", k.0, k.1, k.2));
    }
    if fix && !diffs.is_empty() {
        store::replace_balances(c, &want)?;
    }
    if fix {
        store::replace_totals(c, &want)?;
    }
    Ok(diffs)
}
