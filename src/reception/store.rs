//! All SQL of the constituents' sign-in.

use crate::db::schema::{constituents as k, otp_codes as o};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn insert_code(c: &mut AnyConnection, phone: &str, hash: &str, expires: NaiveDateTime, now: NaiveDateTime) -> AppResult<i64> {
    // A new code replaces the ones before it.
    diesel::update(o::table.filter(o::phone.eq(phone)).filter(o::used_at.is_null())).set(o::used_at.eq(now)).execute(c)?;
    Ok(diesel::insert_into(o::table)
        .values((o::phone.eq(phone), o::code_hash.eq(hash), o::expires_at.eq(expires), o::attempts.eq(0), o::created_at.eq(now)))
        .returning(o::id)
        .get_result(c)?)
}

/// (id, hash, expires, attempts) of the phone's live code.
pub fn live_code(c: &mut AnyConnection, phone: &str) -> AppResult<Option<(i64, String, NaiveDateTime, i32)>> {
    Ok(o::table
        .filter(o::phone.eq(phone))
        .filter(o::used_at.is_null())
        .order(o::id.desc())
        .select((o::id, o::code_hash, o::expires_at, o::attempts))
        .first(c)
        .optional()?)
}

pub fn wrong_try(c: &mut AnyConnection, id: i64, attempts: i32, burned: bool, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(o::table.find(id)).set((o::attempts.eq(attempts), o::used_at.eq(burned.then_some(now)))).execute(c)?;
    Ok(())
}

pub fn use_code(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(o::table.find(id).filter(o::used_at.is_null())).set(o::used_at.eq(now)).execute(c)? == 1)
}

/// (constituent id, account id, consent version) of a phone number.
pub fn by_phone(c: &mut AnyConnection, phone: &str) -> AppResult<Option<(i64, i64, String)>> {
    Ok(k::table.filter(k::phone.eq(phone)).select((k::id, k::account_id, k::consent_version)).first(c).optional()?)
}

pub fn insert(c: &mut AnyConnection, account: i64, phone: &str, consent: &str, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(k::table)
        .values((k::account_id.eq(account), k::phone.eq(phone), k::consent_version.eq(consent), k::consented_at.eq(now), k::created_at.eq(now)))
        .returning(k::id)
        .get_result(c)?)
}

pub fn consent(c: &mut AnyConnection, id: i64, version: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(k::table.find(id)).set((k::consent_version.eq(version), k::consented_at.eq(now))).execute(c)?;
    Ok(())
}
