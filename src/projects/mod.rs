//! Livelihood projects voted by deputies (民生实事项目人大代表票决制): a round per congress and
//! year gathers candidate projects (from deputies, staff and constituents' opinions), staff set
//! the ballot, the deputies seated in the congress and checked in to its session vote once each
//! in secret — who voted and what a ballot says are kept apart (see `store::votes`) — and at
//! closing the tally is published with every ballot, the paper counts and its SHA-256, so that
//! anyone can recount it (`lvzhi verify-tally`).

mod model;
mod routes;
mod rules;
mod store;
mod tally_file;

pub use model::Published as PublishedTally;
pub use routes::register;
pub use rules::{verify as verify_tally, Tally};
pub use tally_file::verify_file as verify_tally_file;

/// Bulk paths for the demo seeder: rows written as given, without the checks and audit of the
/// HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{insert_candidate, insert_round, NewCandidate};
}
