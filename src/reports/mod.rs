//! Duty reports (述职评议): once a term each deputy reports face to face to the voters and the
//! electoral unit that elected them, and is reviewed. Staff see the plan of a congress and term
//! and schedule reports; the deputy drafts on a frozen, signed copy of their duty archive; staff
//! return or approve it, and approving opens a session (an event of kind `duty_report` at the
//! station) where those present rate it from their phones with the session's rotating token.
//! Results (rates with their volumes, comments, a flag for a talk) go to the deputy and staff; a
//! delivered report earns its ledger entry; a published one is public.

mod archive;
mod jobs;
mod model;
mod routes;
mod rules;
mod store;

pub use archive::{delivered_between, delivered_in, DeliveredReport};
pub use jobs::{nudge_due_year as nudge_due_year_reports, remind_due as remind_due_reports, worker};
pub use routes::register;
pub use store::delivered_under;

/// Bulk paths for the demo seeder: rows written as given, without the checks and audit of the
/// HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{insert_scheduled, Schedule};
}
