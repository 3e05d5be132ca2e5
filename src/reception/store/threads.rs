//! SQL of a case's thread: its followers, who hears of a new message, and the messages.

use super::handling::{constituent_account, MessageRow};
use super::opinions::OpinionRow;
use crate::db::schema::{constituents as k, opinion_followers as f, opinion_messages as m};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn follow(c: &mut AnyConnection, opinion: i64, constituent: i64, now: NaiveDateTime) -> AppResult<()> {
    let row = (f::opinion_id.eq(opinion), f::constituent_id.eq(constituent), f::created_at.eq(now));
    crate::per_backend!(&mut *c, |x| diesel::insert_into(f::table).values(row).on_conflict_do_nothing().execute(x))?;
    Ok(())
}

/// Stops following; whether they followed it.
pub fn unfollow(c: &mut AnyConnection, opinion: i64, constituent: i64) -> AppResult<bool> {
    Ok(diesel::delete(f::table.find((opinion, constituent))).execute(c)? > 0)
}

pub fn is_follower(c: &mut AnyConnection, opinion: i64, constituent: i64) -> AppResult<bool> {
    Ok(f::table.find((opinion, constituent)).count().get_result::<i64>(c)? > 0)
}

/// Accounts that hear of a case: its constituent's and its followers' (a deputy who raised a
/// case hears of it through the deputy's own news).
pub fn audience(c: &mut AnyConnection, opinion: &OpinionRow) -> AppResult<Vec<i64>> {
    let mut ids: Vec<i64> =
        f::table.inner_join(k::table).filter(f::opinion_id.eq(opinion.id)).select(k::account_id).load(c)?;
    if let Some(k) = opinion.constituent_id {
        ids.push(constituent_account(c, k)?);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub fn add_message(
    c: &mut AnyConnection,
    opinion: i64,
    account: i64,
    role: &str,
    body: &str,
    internal: bool,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(m::table)
        .values((
            m::opinion_id.eq(opinion),
            m::author_account.eq(account),
            m::author_role.eq(role),
            m::body.eq(body),
            m::internal.eq(internal),
            m::created_at.eq(now),
        ))
        .returning(m::id)
        .get_result(c)?)
}

/// A case's thread, oldest first; internal notes only when asked for.
pub fn messages(c: &mut AnyConnection, opinion: i64, with_internal: bool) -> AppResult<Vec<MessageRow>> {
    let q = m::table.filter(m::opinion_id.eq(opinion)).order(m::id).select((
        m::id,
        m::author_role,
        m::body,
        m::internal,
        m::created_at,
    ));
    Ok(if with_internal { q.load(c)? } else { q.filter(m::internal.eq(false)).load(c)? })
}
