//! Livelihood projects voted by deputies (民生实事项目人大代表票决制): a round per congress and
//! year gathers candidate projects (from deputies, staff and constituents' opinions), staff set
//! the ballot, the deputies seated in the congress and checked in to its session vote once each
//! in secret — who voted and what a ballot says are kept apart (see `store::votes`) — and at
//! closing the tally is published with every ballot, the paper counts and its SHA-256, so that
//! anyone can recount it (`lvzhi verify-tally`). The adopted projects are then carried out by
//! handling units against milestones (overdue ones texted to the lead unit), reported on with
//! photos, inspected by deputies, and rated at year end — again in secret, and published with
//! every sheet and its SHA-256.

mod jobs;
mod model;
mod routes;
mod rules;
pub mod seeding;
mod store;
mod tally_file;

pub use jobs::{text_overdue_milestones, worker};
pub use model::Published as PublishedTally;
pub use routes::register;
pub use rules::{verify as verify_tally, Tally};
pub use tally_file::verify_file as verify_tally_file;
