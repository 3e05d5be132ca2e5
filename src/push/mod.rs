//! Push delivery: deputies' devices, the outbox of pushes written with each publication,
//! providers behind one interface, the delivery worker with backoff and dead letters.

pub mod devices;
pub mod provider;
pub mod rules;
pub mod store;
pub mod worker;

pub use provider::Providers;

use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// Queues a notice's push to every enabled device of these deputies (in the publication's
/// transaction); `round` makes reminders new sends. Returns how many pushes were queued.
pub fn enqueue(c: &mut AnyConnection, notice: i64, deputies: &[i64], round: i32, at: NaiveDateTime) -> AppResult<usize> {
    let targets = store::enabled_devices(c, deputies)?;
    store::enqueue(c, notice, &targets, round, at)?;
    Ok(targets.len())
}

/// Forgets the devices registered through an account (at logout): no more pushes to them.
pub fn forget_account(c: &mut AnyConnection, account: i64) -> AppResult<usize> {
    store::delete_devices_of_account(c, account)
}

/// (pending, sent, dropped, dead) counts of a notice's pushes.
pub fn counts(c: &mut AnyConnection, notice: i64) -> AppResult<Vec<(String, i64)>> {
    store::notice_counts(c, notice)
}
