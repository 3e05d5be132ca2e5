//! The push queue as others use it: enqueueing a notice's pushes for deputies' devices (quiet
//! hours respected), and forgetting an account's devices.

use super::Headline;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::{NaiveDateTime, NaiveTime};

/// When pushes may go: urgent ones now, and before normal ones already queued (see
/// [`super::rules::urgent_at`]), normal ones after the quiet hours — the deputy's own (see
/// [`settings`]) or the installation's default, in the congress time zone.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub now: NaiveDateTime,
    pub urgent: bool,
    pub tz: chrono_tz::Tz,
    pub quiet: Option<(NaiveTime, NaiveTime)>,
}

/// Queues a notice's push (`m`: what it says) to every enabled device of these deputies, in the
/// publication's transaction; `round` makes reminders new sends. Returns how many were queued.
/// Deputies are taken [`CHUNK`] at a time: only their devices are held at once.
pub fn enqueue(c: &mut AnyConnection, m: &Headline, deputies: &[i64], round: i32, t: &Timing) -> AppResult<usize> {
    let mut queued = 0;
    for chunk in deputies.chunks(CHUNK) {
        let targets = super::store::enabled_devices(c, chunk)?;
        let own = if t.urgent { Default::default() } else { super::store::own_quiet_hours(c, chunk)? };
        let rows: Vec<super::store::Target> = targets
            .iter()
            .map(|(device, deputy, provider)| {
                let (device, deputy) = (*device, *deputy);
                let at = if t.urgent {
                    super::rules::urgent_at(t.now)
                } else {
                    super::rules::after_quiet_hours(t.now, own.get(&deputy).copied().unwrap_or(t.quiet), t.tz)
                };
                (device, deputy, provider.as_str(), at)
            })
            .collect();
        super::store::enqueue(c, m, &rows, round, t.now)?;
        queued += rows.len();
    }
    Ok(queued)
}

/// Deputies whose devices one step of [`enqueue`] loads and queues.
const CHUNK: usize = 5000;

/// Forgets the devices registered through an account (at logout): no more pushes to them.
pub fn forget_account(c: &mut AnyConnection, account: i64) -> AppResult<usize> {
    super::store::delete_devices_of_account(c, account)
}
