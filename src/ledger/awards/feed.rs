//! The feed events of posted entries: one per new entry (a reversal when it takes one back),
//! under the region of the congress whose points it is, written with the entries.

use crate::db::{utc, AnyConnection};
use crate::error::AppResult;
use crate::feed::data::LedgerEntry;
use crate::ledger::store::EntryRow;
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// Writes the events of the entries just inserted (`congress`: each deputy's congress path).
pub fn emit<'a>(
    c: &mut AnyConnection,
    entries: impl Iterator<Item = &'a EntryRow>,
    congress: &HashMap<i64, String>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let events: Vec<crate::feed::Event> = entries
        .map(|e| {
            let d = LedgerEntry {
                entry_id: e.id,
                deputy_id: e.deputy_id,
                rule_code: e.rule_code.clone(),
                category: e.category.clone(),
                points: e.points,
                year: e.year,
                source_kind: e.source_kind.clone(),
                reverses: e.reverses,
                occurred_at: utc(e.occurred_at),
                hash: e.hash.clone(),
            };
            let path = congress.get(&e.deputy_id).map(String::as_str).unwrap_or("/");
            crate::feed::Event::ledger_entry(&d, path, now)
        })
        .collect();
    crate::feed::emit(c, &events)
}
