//! All SQL of the identity capability: accounts, their stations, refresh tokens.

pub mod clients;

use crate::db::schema::{account_stations, accounts, refresh_tokens};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub region_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub display_name: String,
    pub scopes: String,
    pub disabled: bool,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub region_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub display_name: &'a str,
    pub scopes: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_account(conn: &mut AnyConnection, a: &NewAccount, stations: &[i64]) -> AppResult<i64> {
    let id = diesel::insert_into(accounts::table).values(a).returning(accounts::id).get_result::<i64>(conn)?;
    for s in stations {
        diesel::insert_into(account_stations::table)
            .values((account_stations::account_id.eq(id), account_stations::station_id.eq(*s)))
            .execute(conn)?;
    }
    Ok(id)
}

/// Renames an account (a constituent's name is derived from the keyed hash of the phone).
pub fn set_username(conn: &mut AnyConnection, id: i64, username: &str) -> AppResult<()> {
    diesel::update(accounts::table.find(id)).set(accounts::username.eq(username)).execute(conn)?;
    Ok(())
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// The account of a username, whatever its case (usernames are unique regardless of case).
pub fn by_username(conn: &mut AnyConnection, username: &str) -> AppResult<Option<AccountRow>> {
    Ok(accounts::table
        .filter(lower(accounts::username).eq(username.to_lowercase()))
        .first::<AccountRow>(conn)
        .optional()?)
}

pub fn by_id(conn: &mut AnyConnection, id: i64) -> AppResult<Option<AccountRow>> {
    Ok(accounts::table.find(id).first::<AccountRow>(conn).optional()?)
}

pub fn list(
    conn: &mut AnyConnection,
    region_ids: Option<&[i64]>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<AccountRow>> {
    let mut q = accounts::table.filter(accounts::id.gt(after)).order(accounts::id).limit(limit).into_boxed();
    if let Some(ids) = region_ids {
        q = q.filter(accounts::region_id.eq_any(ids.to_vec()));
    }
    Ok(q.load::<AccountRow>(conn)?)
}

pub fn stations_of(conn: &mut AnyConnection, account_id: i64) -> AppResult<Vec<i64>> {
    Ok(account_stations::table
        .filter(account_stations::account_id.eq(account_id))
        .select(account_stations::station_id)
        .order(account_stations::station_id)
        .load(conn)?)
}

// The whole row (loaded column for column), so a few columns are stored but not read here.
#[allow(dead_code)]
#[derive(Debug, Clone, Queryable)]
pub struct RefreshRow {
    pub id: i64,
    pub account_id: i64,
    pub family: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub replaced_by: Option<i64>,
    pub revoked_at: Option<NaiveDateTime>,
    /// The first answer to this token's rotation, sealed, for a retry within the grace window.
    pub replay: Option<String>,
}

pub fn insert_refresh(
    conn: &mut AnyConnection,
    account_id: i64,
    family: &str,
    hash: &str,
    now: NaiveDateTime,
    expires: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::account_id.eq(account_id),
            refresh_tokens::family.eq(family),
            refresh_tokens::token_hash.eq(hash),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires),
        ))
        .returning(refresh_tokens::id)
        .get_result(conn)?)
}

pub fn refresh_by_hash(conn: &mut AnyConnection, hash: &str) -> AppResult<Option<RefreshRow>> {
    Ok(refresh_tokens::table.filter(refresh_tokens::token_hash.eq(hash)).first::<RefreshRow>(conn).optional()?)
}

pub fn refresh_by_id(conn: &mut AnyConnection, id: i64) -> AppResult<Option<RefreshRow>> {
    Ok(refresh_tokens::table.find(id).first::<RefreshRow>(conn).optional()?)
}

/// Marks the token used, links its successor and keeps the (sealed) answer for a retry. False
/// when another request used it first.
pub fn mark_used(
    conn: &mut AnyConnection,
    id: i64,
    now: NaiveDateTime,
    successor: i64,
    replay: &str,
) -> AppResult<bool> {
    let target = refresh_tokens::table
        .filter(refresh_tokens::id.eq(id))
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::used_at.is_null());
    let n = diesel::update(target)
        .set((
            refresh_tokens::used_at.eq(now),
            refresh_tokens::replaced_by.eq(successor),
            refresh_tokens::replay.eq(replay),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Forgets the kept answer of the token `successor` replaced (its retry window is over: the
/// successor itself is in use).
pub fn forget_replay_of_predecessor(conn: &mut AnyConnection, successor: i64) -> AppResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::replaced_by.eq(successor))
            .filter(refresh_tokens::replay.is_not_null()),
    )
    .set(refresh_tokens::replay.eq(None::<String>))
    .execute(conn)?;
    Ok(())
}

pub fn revoke_family(conn: &mut AnyConnection, family: &str, now: NaiveDateTime) -> AppResult<usize> {
    diesel::update(
        refresh_tokens::table.filter(refresh_tokens::family.eq(family)).filter(refresh_tokens::replay.is_not_null()),
    )
    .set(refresh_tokens::replay.eq(None::<String>))
    .execute(conn)?;
    Ok(diesel::update(
        refresh_tokens::table.filter(refresh_tokens::family.eq(family)).filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?)
}

/// Whether a session (refresh family) was revoked: every token of it is (used when the cache
/// that holds revocations for fast checks is unreachable).
pub fn session_revoked(conn: &mut AnyConnection, family: &str) -> AppResult<bool> {
    let live: i64 = refresh_tokens::table
        .filter(refresh_tokens::family.eq(family))
        .filter(refresh_tokens::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    let all: i64 = refresh_tokens::table.filter(refresh_tokens::family.eq(family)).count().get_result(conn)?;
    Ok(all > 0 && live == 0)
}

/// Sessions (refresh families) with a token revoked after `since`.
pub fn families_revoked_since(conn: &mut AnyConnection, since: NaiveDateTime) -> AppResult<Vec<String>> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::revoked_at.gt(since))
        .select(refresh_tokens::family)
        .distinct()
        .load(conn)?)
}

/// Those of `families` that still hold a token not revoked.
pub fn families_with_live_tokens(
    conn: &mut AnyConnection,
    families: &[String],
) -> AppResult<std::collections::HashSet<String>> {
    let live: Vec<String> = refresh_tokens::table
        .filter(refresh_tokens::family.eq_any(families))
        .filter(refresh_tokens::revoked_at.is_null())
        .select(refresh_tokens::family)
        .distinct()
        .load(conn)?;
    Ok(live.into_iter().collect())
}

/// Deletes refresh tokens that expired before `cutoff` (housekeeping).
pub fn purge_expired(conn: &mut AnyConnection, cutoff: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(cutoff))).execute(conn)?)
}
