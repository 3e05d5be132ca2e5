//! All SQL of devices and the push outbox.

use crate::db::schema::{devices as dv, push_outbox as o, push_settings as ps};
use crate::db::stamp::Stamp;
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

/// (device, deputy) of the enabled devices of these deputies.
pub fn enabled_devices(c: &mut AnyConnection, deputies: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    let mut out = vec![];
    for chunk in deputies.chunks(5000) {
        out.extend(
            dv::table
                .filter(dv::deputy_id.eq_any(chunk))
                .filter(dv::disabled_at.is_null())
                .select((dv::id, dv::deputy_id))
                .load::<(i64, i64)>(c)?,
        );
    }
    Ok(out)
}

pub fn disable_device(c: &mut AnyConnection, id: i64, reason: &str, at: NaiveDateTime) -> AppResult<()> {
    diesel::update(dv::table.find(id)).set((dv::disabled_at.eq(at), dv::disabled_reason.eq(reason))).execute(c)?;
    Ok(())
}

/// Queues one push of `m` per (device, deputy, not before), 1,000 rows a statement.
pub fn enqueue(
    c: &mut AnyConnection,
    m: &Headline,
    targets: &[(i64, i64, NaiveDateTime)],
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
            .map(|(device, deputy, at)| {
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
                )
            })
            .collect();
        crate::per_backend!(&mut *c, |x| diesel::insert_into(o::table).values(&rows).execute(x))?;
    }
    Ok(())
}

crate::outbox_statements!(o, "push");

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
    pub provider: String,
    pub platform: String,
    pub token: String,
    pub kind: String,
    pub title: String,
    pub priority: String,
}

/// Leases up to `limit` due pushes until `lease_until` and loads them with their devices.
pub fn claim(c: &mut AnyConnection, now: NaiveDateTime, lease_until: NaiveDateTime, limit: i64) -> AppResult<Vec<Due>> {
    let ids = lease_due(c, now, lease_until, limit)?;
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
            dv::provider,
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

/// (pending, sent, dropped, dead) pushes of a notice.
pub fn notice_counts(c: &mut AnyConnection, notice: i64) -> AppResult<Vec<(String, i64)>> {
    Ok(o::table
        .filter(o::notice_id.eq(notice))
        .group_by(o::status)
        .select((o::status, diesel::dsl::count_star()))
        .load(c)?)
}

/// A deputy's own quiet hours: None (the row is absent) = the default; Some(None) = none at all.
pub type OwnQuiet = Option<Option<(chrono::NaiveTime, chrono::NaiveTime)>>;

fn hm(s: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// The deputies among these who chose their own quiet hours (or none).
pub fn own_quiet_hours(
    c: &mut AnyConnection,
    deputies: &[i64],
) -> AppResult<std::collections::HashMap<i64, Option<(chrono::NaiveTime, chrono::NaiveTime)>>> {
    let mut out = std::collections::HashMap::new();
    for chunk in deputies.chunks(5000) {
        let rows: Vec<(i64, Option<String>, Option<String>)> = ps::table
            .filter(ps::deputy_id.eq_any(chunk))
            .select((ps::deputy_id, ps::quiet_from, ps::quiet_to))
            .load(c)?;
        for (d, f, t) in rows {
            out.insert(d, f.as_deref().and_then(hm).zip(t.as_deref().and_then(hm)));
        }
    }
    Ok(out)
}

pub fn quiet_hours_of(c: &mut AnyConnection, deputy: i64) -> AppResult<OwnQuiet> {
    Ok(own_quiet_hours(c, &[deputy])?.remove(&deputy).map(Some).unwrap_or(None))
}

/// Sets a deputy's quiet hours (`None`: none at all).
pub fn set_quiet_hours(
    c: &mut AnyConnection,
    deputy: i64,
    q: Option<(&str, &str)>,
    at: NaiveDateTime,
) -> AppResult<()> {
    use diesel::upsert::excluded;
    let (f, t) = (q.map(|x| x.0.to_string()), q.map(|x| x.1.to_string()));
    let values = (ps::deputy_id.eq(deputy), ps::quiet_from.eq(f), ps::quiet_to.eq(t), ps::updated_at.eq(at));
    crate::per_backend!(&mut *c, |x| diesel::insert_into(ps::table)
        .values(values)
        .on_conflict(ps::deputy_id)
        .do_update()
        .set((
            ps::quiet_from.eq(excluded(ps::quiet_from)),
            ps::quiet_to.eq(excluded(ps::quiet_to)),
            ps::updated_at.eq(excluded(ps::updated_at))
        ))
        .execute(x))?;
    Ok(())
}

/// Back to the installation's default quiet hours.
pub fn clear_quiet_hours(c: &mut AnyConnection, deputy: i64) -> AppResult<()> {
    diesel::delete(ps::table.find(deputy)).execute(c)?;
    Ok(())
}
