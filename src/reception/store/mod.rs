//! All SQL of the constituents' sign-in. Phone numbers are stored sealed, with the keyed hash
//! beside them for lookups (see [`crate::platform::pii`]); codes know the hash only.

pub(in crate::reception) mod appointments;
pub(in crate::reception) mod calendar;
pub(in crate::reception) mod handling;
pub(in crate::reception) mod intakes;
pub(in crate::reception) mod media;
pub(in crate::reception) mod opinions;
pub(in crate::reception) mod threads;

use crate::db::schema::{constituents as k, otp_codes as o};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::pii::{self, field, Pii, Reseal};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The account name of a constituent: derived from the keyed hash, never the number.
pub fn username(phone_hash: &str) -> String {
    format!("constituent:{}", &phone_hash[..phone_hash.len().min(32)])
}

pub fn insert_code(
    c: &mut AnyConnection,
    phone_hash: &str,
    hash: &str,
    expires: NaiveDateTime,
    now: NaiveDateTime,
) -> AppResult<i64> {
    // A new code replaces the ones before it.
    diesel::update(o::table.filter(o::phone_hash.eq(phone_hash)).filter(o::used_at.is_null()))
        .set(o::used_at.eq(now))
        .execute(c)?;
    Ok(diesel::insert_into(o::table)
        .values((
            o::phone_hash.eq(phone_hash),
            o::code_hash.eq(hash),
            o::expires_at.eq(expires),
            o::attempts.eq(0),
            o::created_at.eq(now),
        ))
        .returning(o::id)
        .get_result(c)?)
}

/// (id, hash, expires, attempts) of the phone's live code.
pub fn live_code(c: &mut AnyConnection, phone_hash: &str) -> AppResult<Option<(i64, String, NaiveDateTime, i32)>> {
    Ok(o::table
        .filter(o::phone_hash.eq(phone_hash))
        .filter(o::used_at.is_null())
        .order(o::id.desc())
        .select((o::id, o::code_hash, o::expires_at, o::attempts))
        .first(c)
        .optional()?)
}

pub fn wrong_try(c: &mut AnyConnection, id: i64, attempts: i32, burned: bool, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(o::table.find(id))
        .set((o::attempts.eq(attempts), o::used_at.eq(burned.then_some(now))))
        .execute(c)?;
    Ok(())
}

pub fn use_code(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(o::table.find(id).filter(o::used_at.is_null())).set(o::used_at.eq(now)).execute(c)? == 1)
}

/// (constituent id, account id, consent version) of a phone number, by its keyed hash.
pub fn by_phone_hash(c: &mut AnyConnection, phone_hash: &str) -> AppResult<Option<(i64, i64, String)>> {
    Ok(k::table
        .filter(k::phone_hash.eq(phone_hash))
        .select((k::id, k::account_id, k::consent_version))
        .first(c)
        .optional()?)
}

pub fn insert(
    c: &mut AnyConnection,
    pii: &Pii,
    account: i64,
    phone: &str,
    consent: &str,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(k::table)
        .values((
            k::account_id.eq(account),
            k::phone.eq(pii.seal(field::CONSTITUENT_PHONE, phone)),
            k::phone_hash.eq(pii.phone_hash(phone)),
            k::consent_version.eq(consent),
            k::consented_at.eq(now),
            k::created_at.eq(now),
        ))
        .returning(k::id)
        .get_result(c)?)
}

pub fn consent(c: &mut AnyConnection, id: i64, version: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(k::table.find(id)).set((k::consent_version.eq(version), k::consented_at.eq(now))).execute(c)?;
    Ok(())
}

/// Seals up to `limit` constituents after id `after` that need it (`Legacy`: stored before
/// sealing; `All`: every row not under the current key, and every lookup hash recomputed);
/// answers (rows changed, last id looked at).
pub fn reseal(
    c: &mut AnyConnection,
    pii: &Pii,
    mode: Reseal,
    after: i64,
    limit: i64,
) -> AppResult<(usize, Option<i64>)> {
    let mut q = k::table
        .filter(k::id.gt(after))
        .order(k::id)
        .limit(limit)
        .select((k::id, k::account_id, k::phone, k::phone_hash))
        .into_boxed();
    if mode == Reseal::Legacy {
        q = q.filter(k::phone_hash.is_null());
    }
    let rows: Vec<(i64, i64, String, Option<String>)> = q.load(c)?;
    let mut changed = 0;
    for (id, account, stored, old_hash) in &rows {
        let plain = if pii::is_sealed(stored) { pii.open(field::CONSTITUENT_PHONE, stored)? } else { stored.clone() };
        let hash = pii.phone_hash(&plain);
        let sealed = if pii.is_current(stored) { stored.clone() } else { pii.seal(field::CONSTITUENT_PHONE, &plain) };
        if &sealed == stored && old_hash.as_deref() == Some(hash.as_str()) {
            continue;
        }
        diesel::update(k::table.find(id)).set((k::phone.eq(&sealed), k::phone_hash.eq(&hash))).execute(c)?;
        crate::auth::set_username(c, *account, &username(&hash))?;
        changed += 1;
    }
    Ok((changed, rows.last().map(|r| r.0)))
}
