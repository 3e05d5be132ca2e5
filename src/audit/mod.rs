//! The append-only audit log: who did what to which record, when, from where, with what outcome.
//! Writes happen inside the transaction of the change they record. A trigger on both backends
//! refuses UPDATE, and DELETE of a row younger than 183 days (PIPL's minimum), whoever asks;
//! the retention job removes rows older than `LVZHI_AUDIT_KEEP_DAYS` (at least 183).

mod entries;
mod model;
mod routes;
mod store;

pub use entries::{retention, write_many};

pub use routes::register;

pub use model::{AuditView, Entry};
