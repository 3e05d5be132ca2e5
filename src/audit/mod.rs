//! The append-only audit log: who did what to which record, when, from where, with what outcome.
//! Writes happen inside the transaction of the change they record. A trigger on both backends
//! refuses UPDATE and DELETE.

mod model;
pub mod routes;
mod store;

pub use model::{AuditView, Entry};

/// Writes several audit records with one statement (inside the transaction of their changes).
pub fn write_many(c: &mut crate::db::AnyConnection, entries: &[&Entry], at: chrono::NaiveDateTime) -> crate::error::AppResult<()> {
    store::insert_many(c, entries, at)
}
