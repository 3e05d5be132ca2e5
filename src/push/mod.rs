//! Push delivery: deputies' devices, the outbox of pushes written with each publication,
//! providers behind one interface, the delivery worker with backoff and dead letters.

mod apns;
mod google;
mod huawei;
mod jpush;
mod oauth;
mod provider;
mod queue;
mod routes;
mod rules;
mod store;
mod webhook;
mod worker;

pub use queue::{enqueue, forget_account, Timing};

pub use routes::register;

pub use provider::Providers;
pub use rules::after_quiet_hours;
pub use store::Headline;

pub use worker::{deliver_once as deliver_pushes_once, worker as delivery_worker};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{upsert_device, NewDevice};
}
