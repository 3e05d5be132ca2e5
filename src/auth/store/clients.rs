//! All SQL of client secrets and account switches: a rotated client secret keeps the previous
//! one valid for an overlap, and an account is disabled or enabled again.

use crate::db::schema::{accounts as a, client_secrets as cs};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Sets a new secret hash; the one before stays valid until `until` (none: at once invalid).
pub fn rotate(
    c: &mut AnyConnection,
    id: i64,
    hash: &str,
    until: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let old: String = a::table.find(id).select(a::password_hash).first(c)?;
    diesel::delete(cs::table.find(id)).execute(c)?;
    if let Some(until) = until {
        diesel::insert_into(cs::table)
            .values((cs::account_id.eq(id), cs::password_hash.eq(old), cs::valid_until.eq(until)))
            .execute(c)?;
    }
    diesel::update(a::table.find(id))
        .set((a::password_hash.eq(hash), a::version.eq(a::version + 1), a::updated_at.eq(now)))
        .execute(c)?;
    Ok(())
}

/// The previous secret's hash while it is still valid.
pub fn previous(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<Option<String>> {
    Ok(cs::table.find(id).filter(cs::valid_until.gt(now)).select(cs::password_hash).first(c).optional()?)
}

/// Disables or enables an account.
pub fn set_disabled(c: &mut AnyConnection, id: i64, disabled: bool, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(a::table.find(id))
        .set((a::disabled.eq(disabled), a::version.eq(a::version + 1), a::updated_at.eq(now)))
        .execute(c)?;
    Ok(())
}
