//! All SQL of webhook subscriptions: created by admins, leased by the deliverer one at a time
//! (`SKIP LOCKED` on PostgreSQL, so instances share them and never send one twice at once),
//! moved on after each delivery.

use crate::db::schema::feed_subscriptions as s;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = s)]
pub struct SubscriptionRow {
    pub id: i64,
    pub client_id: i64,
    pub url: String,
    pub types: String,
    pub region_id: i64,
    pub region_path: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_until: Option<NaiveDateTime>,
    pub status: String,
    pub cursor_seq: i64,
    pub delivered: i64,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub failing_since: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A subscription to create.
pub struct NewSubscription<'a> {
    pub client_id: i64,
    pub url: &'a str,
    pub types: &'a str,
    pub region: (i64, &'a str),
    pub secret: &'a str,
    pub cursor: i64,
    pub by: i64,
}

pub fn insert(c: &mut AnyConnection, n: &NewSubscription, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(s::table)
        .values((
            s::client_id.eq(n.client_id),
            s::url.eq(n.url),
            s::types.eq(n.types),
            s::region_id.eq(n.region.0),
            s::region_path.eq(n.region.1),
            s::secret.eq(n.secret),
            s::status.eq("active"),
            s::cursor_seq.eq(n.cursor),
            s::delivered.eq(0i64),
            s::attempts.eq(0),
            s::next_attempt_at.eq(now),
            s::created_by.eq(n.by),
            s::created_at.eq(now),
            s::updated_at.eq(now),
        ))
        .returning(s::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<SubscriptionRow>> {
    Ok(s::table.find(id).select(SubscriptionRow::as_select()).first(c).optional()?)
}

/// Subscriptions inside `scope` (a region path prefix), by id, after `after`.
pub fn list(c: &mut AnyConnection, scope: &str, after: i64, limit: i64) -> AppResult<Vec<SubscriptionRow>> {
    Ok(s::table
        .filter(s::region_path.like(format!("{scope}%")))
        .filter(s::id.gt(after))
        .order(s::id)
        .limit(limit)
        .select(SubscriptionRow::as_select())
        .load(c)?)
}

/// Leases the active subscription due longest, until `until`; None when none is due.
pub fn lease_due(
    c: &mut AnyConnection,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> AppResult<Option<SubscriptionRow>> {
    macro_rules! due {
        () => {
            s::table
                .filter(s::status.eq("active"))
                .filter(s::next_attempt_at.le(now))
                .filter(s::leased_until.is_null().or(s::leased_until.lt(now)))
                .order(s::next_attempt_at)
                .select(SubscriptionRow::as_select())
        };
    }
    let row = match c {
        AnyConnection::Pg(pg) => due!().for_update().skip_locked().first(pg).optional()?,
        AnyConnection::Sqlite(sq) => due!().first(sq).optional()?,
    };
    if let Some(r) = &row {
        diesel::update(s::table.find(r.id)).set(s::leased_until.eq(Some(until))).execute(c)?;
    }
    Ok(row)
}

/// After a delivery that was taken: on to `cursor`, `n` more delivered, failures forgotten.
pub fn delivered(c: &mut AnyConnection, id: i64, cursor: i64, n: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id))
        .set((
            s::cursor_seq.eq(cursor),
            s::delivered.eq(s::delivered + n),
            s::attempts.eq(0),
            s::failing_since.eq(None::<NaiveDateTime>),
            s::last_error.eq(None::<String>),
            s::next_attempt_at.eq(now),
            s::leased_until.eq(None::<NaiveDateTime>),
            s::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// Nothing to deliver (or only events of other types or regions, skipped up to `cursor`):
/// look again at `next`.
pub fn idle(c: &mut AnyConnection, id: i64, cursor: i64, next: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id))
        .set((s::cursor_seq.eq(cursor), s::next_attempt_at.eq(next), s::leased_until.eq(None::<NaiveDateTime>)))
        .execute(c)?;
    Ok(())
}

/// After a failed delivery: tried again at `next`, or moved to `status` (paused, disabled).
pub fn failed(
    c: &mut AnyConnection,
    row: &SubscriptionRow,
    status: &str,
    next: NaiveDateTime,
    error: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(s::table.find(row.id))
        .set((
            s::status.eq(status),
            s::attempts.eq(row.attempts + 1),
            s::failing_since.eq(Some(row.failing_since.unwrap_or(now))),
            s::last_error.eq(Some(error)),
            s::next_attempt_at.eq(next),
            s::leased_until.eq(None::<NaiveDateTime>),
            s::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// Sets the status (resume, disable): a resumed subscription goes on from its cursor now.
pub fn set_status(c: &mut AnyConnection, id: i64, status: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id))
        .set((
            s::status.eq(status),
            s::attempts.eq(0),
            s::next_attempt_at.eq(now),
            s::leased_until.eq(None::<NaiveDateTime>),
            s::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// A new secret; the one before signs too until `until`.
pub fn rotate(c: &mut AnyConnection, id: i64, secret: &str, previous: &str, until: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id))
        .set((s::secret.eq(secret), s::previous_secret.eq(Some(previous)), s::previous_until.eq(Some(until))))
        .execute(c)?;
    Ok(())
}
