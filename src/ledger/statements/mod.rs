//! Explained points statements: a deputy's entries of a year with the rule version, clause and
//! cap notes behind each, and totals by category.

mod explain;
mod routes;

pub use explain::{explain, may_read_points, statement};
pub use routes::{mine, of_deputy};
