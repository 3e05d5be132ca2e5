//! Writing audit entries in bulk, and dropping those past their retention.

use super::model::Entry;

/// The retention job: removes audit rows older than the configured retention; returns how many.
pub async fn retention(state: &crate::state::AppState) -> crate::error::AppResult<usize> {
    let before = state.now() - chrono::Duration::days(state.settings.audit_keep_days);
    crate::db::run(&state.db, move |c| super::store::purge_before(c, before)).await
}

/// Writes several audit records with one statement (inside the transaction of their changes).
pub fn write_many(
    c: &mut crate::db::AnyConnection,
    entries: &[&Entry],
    at: chrono::NaiveDateTime,
) -> crate::error::AppResult<()> {
    super::store::insert_many(c, entries, at)
}
