//! The rulebook: versioned point rules per congress (inherited down the regions), changed only by
//! adding a version, and what-if replays of draft rules over a year.

mod routes;
mod rules;
mod whatif;

pub use routes::{create, rulebook, simulate};
