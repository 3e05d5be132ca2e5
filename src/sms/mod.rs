//! Text messages (SMS): the fallback channel for urgent notices and unanswered meeting notices
//! (and, later, sign-in codes). Messages go through an outbox with the same guarantees as
//! pushes — a stable dedup id, leases, backoff, a dead letter after the last attempt — to a
//! provider behind one interface: `log` (development: only logs) or `http` (an SMS gateway,
//! HMAC-signed JSON, like the push webhook).

mod jobs;
mod queue;
mod store;

pub use jobs::{deliver_once, worker};

pub use queue::{enqueue, enqueue_milestone, enqueue_text, Provider};

pub use store::reseal as reseal_phones;
