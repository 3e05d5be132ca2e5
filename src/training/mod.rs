//! Training and online learning (培训学习): courses of a congress for a term — offline (a
//! training event: attending it completes the course) or online (materials to be opened for a
//! minimum time and an optional quiz from a question bank with a pass mark and a number of
//! attempts). A completed course earns the rulebook's training points once; a course marked
//! initial (初任培训) is what a newly seated deputy must complete within the configured period.

mod model;
mod routes;
mod rules;
mod store;

pub use routes::register;
pub use store::{completed_between, completed_initial};

/// Bulk paths for the demo seeder: rows written as given, without the checks and audit of the
/// HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{complete, insert, insert_question, NewCourse};
}
