//! All SQL of devices and the push outbox: the outbox here, devices and quiet hours in their
//! own files.

mod devices;
mod quiet;

pub use devices::*;
pub use quiet::*;

use crate::db::schema::{devices as dv, push_outbox as o};
use crate::db::stamp::Stamp;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A push to queue: (device, deputy, the device's provider, not before).
pub type Target<'a> = (i64, i64, &'a str, NaiveDateTime);

/// Queues one push of `m` per target, 1,000 rows a statement.
pub fn enqueue(
    c: &mut AnyConnection,
    m: &Headline,
    targets: &[Target],
    round: i32,
    now: NaiveDateTime,
) -> AppResult<()> {
    let notice = m.notice;
    // Timestamps bound as `Stamp`s: on SQLite chrono's formatter would parse its format string
    // twice a row (a publish to a city writes ten thousand rows).
    let created = Stamp(now);
    for chunk in targets.chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(device, deputy, provider, at)| {
                (
                    o::notice_id.eq(notice),
                    o::deputy_id.eq(*deputy),
                    o::device_id.eq(*device),
                    o::dedup_id.eq(super::rules::dedup_id(notice, *device, round)),
                    o::status.eq("pending"),
                    o::attempts.eq(0),
                    o::next_at.eq(Stamp(*at)),
                    o::created_at.eq(created),
                    o::kind.eq(&m.kind),
                    o::title.eq(&m.title),
                    o::priority.eq(&m.priority),
                    o::provider.eq(*provider),
                )
            })
            .collect();
        crate::per_backend!(&mut *c, |x| diesel::insert_into(o::table).values(&rows).execute(x))?;
    }
    Ok(())
}

// A sent push leaves the outbox (see the migration `sent_pushes_leave_the_outbox`).
crate::outbox_statements!(o, "push", by provider, sent deleted);

/// What a push says: the notice it is about, as it was when queued.
#[derive(Debug, Clone)]
pub struct Headline {
    pub notice: i64,
    pub kind: String,
    pub title: String,
    pub priority: String,
}

/// A push to make: the row, its device and what it says.
#[derive(Debug, Clone, Queryable)]
pub struct Due {
    pub id: i64,
    pub notice: i64,
    pub deputy: i64,
    pub dedup_id: String,
    pub attempts: i32,
    pub device: i64,
    pub platform: String,
    pub token: String,
    pub kind: String,
    pub title: String,
    pub priority: String,
}

/// Leases up to `limit` due pushes of `provider` until `lease_until` and loads them with their
/// devices.
pub fn claim(
    c: &mut AnyConnection,
    (now, lease_until): (NaiveDateTime, NaiveDateTime),
    provider: &str,
    limit: i64,
) -> AppResult<Vec<Due>> {
    let ids = lease_due(c, now, lease_until, provider, limit)?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(o::table
        .inner_join(dv::table)
        .filter(o::id.eq_any(&ids))
        .select((
            o::id,
            o::notice_id,
            o::deputy_id,
            o::dedup_id,
            o::attempts,
            o::device_id,
            dv::platform,
            dv::token,
            o::kind,
            o::title,
            o::priority,
        ))
        .load(c)?)
}

/// (id, notice, deputy, device, dedup id, attempts, last error, created at) of dead letters.
pub type DeadRow = (i64, i64, i64, i64, String, i32, Option<String>, NaiveDateTime);

/// Dead letters after id `after`, oldest first (`limit + 1` rows, to tell a next page).
pub fn dead_letters(c: &mut AnyConnection, after: i64, limit: i64) -> AppResult<Vec<DeadRow>> {
    let ids = dead_after(c, after, limit)?;
    Ok(o::table
        .filter(o::id.eq_any(&ids))
        .order(o::id)
        .select((
            o::id,
            o::notice_id,
            o::deputy_id,
            o::device_id,
            o::dedup_id,
            o::attempts,
            o::last_error,
            o::created_at,
        ))
        .load(c)?)
}
