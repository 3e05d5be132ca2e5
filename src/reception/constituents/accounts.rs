//! A constituent and their account, made when a phone number is first seen: at their first
//! sign-in, or when staff file a case for them at a station's desk.

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::pii::Pii;
use crate::reception::store;
use chrono::NaiveDateTime;

/// Makes a constituent with a code-only account for `phone`; `consent` is the version of the
/// privacy notice they agreed to (empty: not yet — they are asked at their first sign-in).
/// Returns (constituent, account).
pub fn make(c: &mut AnyConnection, pii: &Pii, phone: &str, consent: &str, now: NaiveDateTime) -> AppResult<(i64, i64)> {
    let username = store::username(&pii.phone_hash(phone));
    let display = crate::org::rules::mask_phone(phone);
    let new = crate::auth::NewAccount {
        username: &username,
        // Never a password: constituents sign in with codes only.
        password_hash: "!otp-only",
        role: "constituent",
        region_id: None,
        deputy_id: None,
        unit_id: None,
        display_name: &display,
        scopes: "",
        created_at: now,
        updated_at: now,
    };
    let account = crate::auth::insert_account(c, &new, &[])?;
    let constituent = store::insert(c, pii, account, phone, consent, now)?;
    Ok((constituent, account))
}

/// The constituent behind `phone`, made when new (see [`make`]).
pub fn find_or_make(c: &mut AnyConnection, pii: &Pii, phone: &str, now: NaiveDateTime) -> AppResult<i64> {
    match store::by_phone_hash(c, &pii.phone_hash(phone))? {
        Some((id, ..)) => Ok(id),
        None => Ok(make(c, pii, phone, "", now)?.0),
    }
}
