//! The append-only audit log: who did what to which record, when, from where, with what outcome.
//! Writes happen inside the transaction of the change they record. A trigger on both backends
//! refuses UPDATE, and DELETE of a row younger than 183 days (PIPL's minimum), whoever asks;
//! the retention job removes rows older than `LVZHI_AUDIT_KEEP_DAYS` (at least 183).

mod model;
mod routes;
mod store;

pub use routes::register;

pub use model::{AuditView, Entry};

/// The retention job: removes audit rows older than the configured retention; returns how many.
pub async fn retention(state: &crate::state::AppState) -> crate::error::AppResult<usize> {
    let before = state.now() - chrono::Duration::days(state.settings.audit_keep_days);
    crate::db::run(&state.db, move |c| store::purge_before(c, before)).await
}

/// Writes several audit records with one statement (inside the transaction of their changes).
pub fn write_many(
    c: &mut crate::db::AnyConnection,
    entries: &[&Entry],
    at: chrono::NaiveDateTime,
) -> crate::error::AppResult<()> {
    store::insert_many(c, entries, at)
}
