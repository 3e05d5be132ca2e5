//! The duty archive (履职档案) of a deputy and year, as JSON, as CSV and as a signed document that
//! `lvzhi verify-ledger --archive FILE` checks against the database.

mod build;
mod model;
mod routes;

pub use build::{build, signed_of, verify};
pub use model::SignedArchive;
pub use routes::{mine, of_deputy, signed};
