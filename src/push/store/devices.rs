//! All SQL of deputies' devices: registered (one device per provider token), listed, forgotten
//! with their pushes, disabled when a provider says the token is dead.

use crate::db::schema::{devices as dv, push_outbox as o};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (id, platform, provider, token, app_version, disabled_at, created_at).
pub type DeviceRow = (i64, String, String, String, Option<String>, Option<NaiveDateTime>, NaiveDateTime);

/// A device to register.
pub struct NewDevice<'a> {
    pub deputy: i64,
    pub account: i64,
    pub platform: &'a str,
    pub provider: &'a str,
    pub token: &'a str,
    pub app_version: Option<&'a str>,
}

/// Registers a device; the same provider token registered again (even by another account: the
/// phone changed hands) is the same device, updated and enabled again.
pub fn upsert_device(c: &mut AnyConnection, d: &NewDevice, now: NaiveDateTime) -> AppResult<i64> {
    let (deputy, account, platform, provider, token, app_version) =
        (d.deputy, d.account, d.platform, d.provider, d.token, d.app_version);
    use diesel::upsert::excluded;
    let values = (
        dv::deputy_id.eq(deputy),
        dv::account_id.eq(account),
        dv::platform.eq(platform),
        dv::provider.eq(provider),
        dv::token.eq(token),
        dv::app_version.eq(app_version),
        dv::created_at.eq(now),
        dv::updated_at.eq(now),
    );
    crate::per_backend!(&mut *c, |x| diesel::insert_into(dv::table)
        .values(values)
        .on_conflict((dv::provider, dv::token))
        .do_update()
        .set((
            dv::deputy_id.eq(excluded(dv::deputy_id)),
            dv::account_id.eq(excluded(dv::account_id)),
            dv::platform.eq(excluded(dv::platform)),
            dv::app_version.eq(excluded(dv::app_version)),
            dv::updated_at.eq(excluded(dv::updated_at)),
            dv::disabled_at.eq(None::<NaiveDateTime>),
            dv::disabled_reason.eq(None::<String>),
        ))
        .execute(x))?;
    Ok(dv::table.filter(dv::provider.eq(provider)).filter(dv::token.eq(token)).select(dv::id).first(c)?)
}

pub fn devices_of(c: &mut AnyConnection, deputy: i64) -> AppResult<Vec<DeviceRow>> {
    Ok(dv::table
        .filter(dv::deputy_id.eq(deputy))
        .order(dv::id)
        .select((dv::id, dv::platform, dv::provider, dv::token, dv::app_version, dv::disabled_at, dv::created_at))
        .load(c)?)
}

/// Forgets a device of the deputy (and its pending pushes); false when it is not theirs.
pub fn delete_device(c: &mut AnyConnection, deputy: i64, id: i64) -> AppResult<bool> {
    if dv::table.filter(dv::id.eq(id)).filter(dv::deputy_id.eq(deputy)).count().get_result::<i64>(c)? == 0 {
        return Ok(false);
    }
    forget(c, &[id])?;
    Ok(true)
}

/// Forgets every device registered through an account (at logout).
pub fn delete_devices_of_account(c: &mut AnyConnection, account: i64) -> AppResult<usize> {
    let ids: Vec<i64> = dv::table.filter(dv::account_id.eq(account)).select(dv::id).load(c)?;
    forget(c, &ids)?;
    Ok(ids.len())
}

/// Removes devices with their pushes (sent ones included: they named the device).
fn forget(c: &mut AnyConnection, ids: &[i64]) -> AppResult<()> {
    diesel::delete(o::table.filter(o::device_id.eq_any(ids))).execute(c)?;
    diesel::delete(dv::table.filter(dv::id.eq_any(ids))).execute(c)?;
    Ok(())
}

/// (device, deputy, provider) of the enabled devices of these deputies.
pub fn enabled_devices(c: &mut AnyConnection, deputies: &[i64]) -> AppResult<Vec<(i64, i64, String)>> {
    let mut out = vec![];
    for chunk in deputies.chunks(5000) {
        out.extend(
            dv::table
                .filter(dv::deputy_id.eq_any(chunk))
                .filter(dv::disabled_at.is_null())
                .select((dv::id, dv::deputy_id, dv::provider))
                .load::<(i64, i64, String)>(c)?,
        );
    }
    Ok(out)
}

pub fn disable_device(c: &mut AnyConnection, id: i64, reason: &str, at: NaiveDateTime) -> AppResult<()> {
    diesel::update(dv::table.find(id)).set((dv::disabled_at.eq(at), dv::disabled_reason.eq(reason))).execute(c)?;
    Ok(())
}
