//! Awards (with caps, the hash chain and the balance in one transaction), reversals, the consumer
//! of pending point events, and chain verification.

use super::posting::{self, stamp, Award};
use super::rules::{self, Canonical, GENESIS};
use super::store::inbox;
use super::store::{self, EntryRow};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::state::AppState;
use chrono::NaiveDateTime;

/// Records one award; the same source for the same rule returns the existing entry instead.
/// Returns the entry and whether it was created now.
pub fn award(c: &mut AnyConnection, a: &Award, tz: chrono_tz::Tz, now: NaiveDateTime) -> AppResult<(EntryRow, bool)> {
    posting::post(c, std::slice::from_ref(a), tz, now)?
        .pop()
        .unwrap_or_else(|| Err(AppError::internal("an award got no answer")))
}

/// Reverses an entry with an opposite entry linked to it (a correction; nothing is edited).
pub fn reverse(
    c: &mut AnyConnection,
    entry_id: i64,
    actor: &str,
    reason: &str,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
) -> AppResult<EntryRow> {
    let orig = store::entry(c, entry_id)?
        .ok_or_else(|| AppError::invalid_field("entry_id", "unknown_entry", "no such entry"))?;
    if orig.reverses.is_some() {
        return Err(AppError::invalid_field(
            "entry_id",
            "reversal_of_reversal",
            "a reversal cannot be reversed; record a new entry instead",
        ));
    }
    if store::reversal_of(c, entry_id)?.is_some() {
        return Err(AppError::conflict(Code::AlreadyReversed, "this entry has already been reversed"));
    }
    let a = Award {
        deputy_id: orig.deputy_id,
        rule_code: orig.rule_code.clone(),
        points: Some(-orig.points),
        occurred_at: orig.occurred_at,
        source_kind: "reversal".into(),
        source_id: entry_id.to_string(),
        actor: actor.into(),
        reason: Some(reason.into()),
        reverses: Some(entry_id),
        direct: false,
    };
    // Negative points are never capped: a reversal takes back exactly what was granted.
    Ok(award(c, &a, tz, now)?.0)
}

/// Turns pending point events from check-ins and events into ledger entries (exactly once per
/// source). Returns how many events were consumed.
pub async fn consume(state: &AppState) -> AppResult<usize> {
    let tz = state.settings.tz;
    let now = state.now();
    db::tx(&state.db, move |c| consume_in(c, tz, now)).await
}

/// Point events consumed per transaction.
pub const CONSUME_BATCH: usize = 500;

/// The most batches one [`consume_pending`] runs (the worker's next round takes the rest).
const MAX_BATCHES: usize = 200;

/// Consumes pending point events batch after batch, each in its own transaction, until a batch
/// comes back short (a 9:00 burst leaves thousands: one batch per round of the worker took them
/// in at 50 a second). Returns how many were consumed.
pub async fn consume_pending(state: &AppState) -> AppResult<usize> {
    let mut total = 0;
    for _ in 0..MAX_BATCHES {
        let n = consume(state).await?;
        total += n;
        if n < CONSUME_BATCH {
            break;
        }
    }
    Ok(total)
}

/// [`consume`] inside an open transaction: one batch of up to [`CONSUME_BATCH`] events, posted
/// together.
pub fn consume_in(c: &mut AnyConnection, tz: chrono_tz::Tz, now: NaiveDateTime) -> AppResult<usize> {
    let pending = inbox::pending(c, CONSUME_BATCH as i64)?;
    let awards: Vec<Award> = pending
        .iter()
        .filter_map(|(_, deputy, kind, source_kind, source_id, at)| {
            rules::rule_for_event(kind).map(|code| Award {
                deputy_id: *deputy,
                rule_code: code.into(),
                points: None,
                occurred_at: *at,
                source_kind: source_kind.clone(),
                source_id: source_id.to_string(),
                actor: "system".into(),
                reason: None,
                reverses: None,
                direct: false,
            })
        })
        .collect();
    for r in posting::post(c, &awards, tz, now)? {
        // An award the rulebook refuses (no rule in force for the event's kind in that congress)
        // skips the event; anything else is a failure.
        if let Err(e) = r {
            if e.code != Code::ValidationFailed {
                return Err(e);
            }
            tracing::warn!(error = %e, "a point event names a rule not in force; skipped");
        }
    }
    let ids: Vec<i64> = pending.iter().map(|p| p.0).collect();
    inbox::mark_consumed(c, &ids, now)?;
    Ok(pending.len())
}

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
