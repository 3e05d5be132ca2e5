//! The annual evaluation of a congress's deputies against its settings (minimums, the excellent
//! quota, the bottom of the ranking two years running), settings inherited like the rulebook.

mod assess;
mod model;
mod routes;

pub use assess::{duty_report_due_in, duty_report_due_year, min_group_activities};
pub use routes::{evaluate, set, settings};
