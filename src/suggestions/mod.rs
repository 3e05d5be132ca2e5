//! Deputies' suggestions (代表建议): a deputy drafts one with co-signers (each confirms), submits
//! it in or between sessions; staff accept, return or convert it and assign it to a lead unit and
//! co-handling units with a deadline, marking key suggestions with their supervising leader;
//! units acknowledge, log their contacts with the deputy and reply with a classification; the
//! deputy rates the reply, and an unsatisfied first rating sends it back for a second round.
//! Units may ask for more time; deputies, staff and leaders urge (weighted); B items are tracked
//! until cleared. Filing, co-signing, key and excellent suggestions earn ledger points once each;
//! every step is an event and an audit entry. Statistics per year, category and unit, and a
//! public list of the replies authors agreed to publish.

mod cited;
mod drafts;
mod jobs;
mod model;
mod routes;
mod rules;
mod steps;
mod store;

pub use cited::note_cited as note_suggestion_cited;
pub use drafts::draft_for as draft_suggestion_for;
pub use jobs::{remind_overdue, worker};

pub use steps::{staff_scope, step, step_telling, tell_author, transition};

pub use routes::register;

pub use rules::number as suggestion_number;
pub use store::outcomes::of_author as suggestion_outcomes;

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::parties::{add_contact, assign_units, NewContact};
    pub use super::store::{
        event, insert, set_assignment, set_evaluation, set_reply, set_status, set_submitted, NewSuggestion,
    };
}
