//! The term's coverage (履职全覆盖): for a congress and term, each obligation every deputy must
//! meet — linked by a liaison link, contacted this year, fixed-contact visits on schedule,
//! trained, initial training on time, sat in on a standing-committee meeting, reported to the
//! voters, group activities at the congress's minimum — with the share covered, its volume and
//! who is missing; as CSV too; a notice to everyone missing one; a deputy's own in their
//! archive. It keeps no table: it reads each obligation from the capability that owns it, one
//! set-valued query each, so a province of 60,000 deputies is a handful of queries.

mod compute;
mod model;
mod routes;
mod rules;

pub use compute::{of_deputy, Setup};
pub use model::DeputyCoverage;
pub use routes::register;
