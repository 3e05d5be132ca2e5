//! All SQL of live events.

use super::Wake;
use crate::db::schema::{inbox as i, live_events as e};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (id, kind, data) of one event.
pub type EventRow = (i64, String, String);

/// Records an event for one deputy or for a notice's audience, in the caller's transaction.
pub fn record(
    c: &mut AnyConnection,
    deputy: Option<i64>,
    notice: Option<i64>,
    kind: &str,
    data: &serde_json::Value,
    at: NaiveDateTime,
) -> AppResult<Wake> {
    let id = diesel::insert_into(e::table)
        .values((
            e::deputy_id.eq(deputy),
            e::notice_id.eq(notice),
            e::kind.eq(kind),
            e::data.eq(data.to_string()),
            e::created_at.eq(at),
        ))
        .returning(e::id)
        .get_result(c)?;
    Ok(Wake { id, deputy, account: None })
}

/// Records events for single deputies with one statement (ids in order).
pub fn record_many(c: &mut AnyConnection, rows: &[(i64, &str, String)], at: NaiveDateTime) -> AppResult<Vec<Wake>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let values: Vec<_> = rows
        .iter()
        .map(|(d, kind, data)| {
            (e::deputy_id.eq(*d), e::kind.eq(*kind), e::data.eq(data.as_str()), e::created_at.eq(at))
        })
        .collect();
    let mut ids: Vec<(i64, Option<i64>)> = crate::per_backend!(&mut *c, |x| diesel::insert_into(e::table)
        .values(&values)
        .returning((e::id, e::deputy_id))
        .get_results(x))?;
    ids.sort_unstable();
    Ok(ids.into_iter().map(|(id, deputy)| Wake { id, deputy, account: None }).collect())
}

/// Records an event for one account (a constituent's case), in the caller's transaction.
pub fn record_for_account(
    c: &mut AnyConnection,
    account: i64,
    kind: &str,
    data: &serde_json::Value,
    at: NaiveDateTime,
) -> AppResult<Wake> {
    let id = diesel::insert_into(e::table)
        .values((e::account_id.eq(account), e::kind.eq(kind), e::data.eq(data.to_string()), e::created_at.eq(at)))
        .returning(e::id)
        .get_result(c)?;
    Ok(Wake { id, deputy: None, account: Some(account) })
}

/// The newest event id (a stream without `Last-Event-ID` starts after it).
pub fn latest(c: &mut AnyConnection) -> AppResult<i64> {
    Ok(e::table.select(diesel::dsl::max(e::id)).first::<Option<i64>>(c)?.unwrap_or(0))
}

/// An account's events after `after`: those addressed to the account, and for a deputy's
/// account the deputy's own and those of notices in their inbox.
pub fn since(
    c: &mut AnyConnection,
    account: i64,
    deputy: Option<i64>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventRow>> {
    let base = e::table.filter(e::id.gt(after)).order(e::id).limit(limit).select((e::id, e::kind, e::data));
    Ok(match deputy {
        Some(deputy) => {
            let mine = i::table.filter(i::deputy_id.eq(deputy)).select(i::notice_id.nullable());
            base.filter(
                e::account_id
                    .eq(account)
                    .or(e::deputy_id.eq(deputy))
                    .or(e::deputy_id.is_null().and(e::account_id.is_null()).and(e::notice_id.eq_any(mine))),
            )
            .load(c)?
        }
        None => base.filter(e::account_id.eq(account)).load(c)?,
    })
}

/// Forgets events older than `before` (a client away that long reloads its inbox instead).
pub fn purge(c: &mut AnyConnection, before: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::delete(e::table.filter(e::created_at.lt(before))).execute(c)?)
}
