//! One award and one reversal at a time (the maker-checker decisions, appeals), and the consumer
//! of pending point events, which posts them in batches.

use super::posting::{self, Award};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::ledger::rules;
use crate::ledger::store::inbox;
use crate::ledger::store::{self, EntryRow};
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
