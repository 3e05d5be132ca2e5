//! The durable event feed for upper-level platforms and third parties (与上级平台对接): every
//! change another system would care about is written as a CloudEvent in the same transaction
//! as the change ([`emit`]), numbered into a gap-free sequence by one sequencer at a time, read
//! by pull (`GET /api/v1/feed`, `feed:read`, inside the reader's region, an opaque cursor),
//! pushed to webhook subscriptions signed as Standard Webhooks says, kept for the retention,
//! and written to signed exchange files (`lvzhi export-feed`, `lvzhi verify-feed`).

mod deliver;
mod event;
mod files;
mod jobs;
mod model;
mod routes;
mod rules;
mod sequencer;
mod store;

pub use deliver::{deliver_due, http_client};
pub use event::{deepest, emit, Event};
pub use files::{export, verify_file};
pub use jobs::{purge, worker};
pub use model::data;
pub use routes::register;
pub use rules::{verify as verify_signature, SECRET_PREFIX};
pub use sequencer::catch_up as sequence;

/// Bulk paths for the load harness: events written as given, and the switch that leaves them
/// out for a comparison. Request handlers never use these.
pub mod seeding {
    pub use super::event::set_writing;
    pub use super::store::{head, insert as insert_events, unsequenced, NewRow};
}
