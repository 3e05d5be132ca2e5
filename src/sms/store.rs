//! All SQL of the SMS outbox.

use crate::db::schema::sms_outbox as o;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::pii::{field, Pii, Reseal};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn dedup_id(notice: i64, deputy: i64) -> String {
    format!("lvzhi-sms-n{notice}-d{deputy}")
}

/// Queues texts, skipping (deputy, notice) pairs already queued; 500 rows a statement.
pub fn enqueue(
    c: &mut AnyConnection,
    pii: &Pii,
    notice: i64,
    to: &[(i64, String)],
    body: &str,
    at: NaiveDateTime,
) -> AppResult<usize> {
    let mut n = 0;
    for chunk in to.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(|(d, _)| dedup_id(notice, *d)).collect();
        let known: Vec<String> = o::table.filter(o::dedup_id.eq_any(&ids)).select(o::dedup_id).load(c)?;
        let rows: Vec<_> = chunk
            .iter()
            .zip(ids)
            .filter(|(_, id)| !known.contains(id))
            .map(|((deputy, phone), id)| {
                (
                    o::deputy_id.eq(*deputy),
                    o::notice_id.eq(Some(notice)),
                    o::phone.eq(pii.seal(field::SMS_PHONE, phone)),
                    o::body.eq(body),
                    o::dedup_id.eq(id),
                    o::status.eq("pending"),
                    o::attempts.eq(0),
                    o::next_at.eq(at),
                    o::created_at.eq(at),
                )
            })
            .collect();
        if !rows.is_empty() {
            n += crate::per_backend!(&mut *c, |x| diesel::insert_into(o::table).values(&rows).execute(x))?;
        }
    }
    Ok(n)
}

/// Queues one text to a phone with no deputy behind it (deputy 0), e.g. a sign-in code. Its
/// body carries a secret: it is stored sealed, opened only to send, and emptied once sent.
pub fn enqueue_one(
    c: &mut AnyConnection,
    pii: &Pii,
    phone: &str,
    body: &str,
    dedup_id: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    insert_personal(c, pii, (phone, ""), body, dedup_id, at, at)
}

/// One sealed text to a person (`recipient`: whom the daily cap counts; empty for none), sent
/// from `next_at`.
fn insert_personal(
    c: &mut AnyConnection,
    pii: &Pii,
    (phone, recipient): (&str, &str),
    body: &str,
    dedup_id: &str,
    at: NaiveDateTime,
    next_at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(o::table)
        .values((
            o::deputy_id.eq(0),
            o::notice_id.eq(None::<i64>),
            o::phone.eq(pii.seal(field::SMS_PHONE, phone)),
            o::body.eq(pii.seal(field::SMS_BODY, body)),
            o::dedup_id.eq(dedup_id),
            o::status.eq("pending"),
            o::attempts.eq(0),
            o::next_at.eq(next_at),
            o::created_at.eq(at),
            o::recipient.eq(recipient),
        ))
        .execute(c)?;
    Ok(())
}

/// A text to send: (id, dedup id, phone (sealed), body, attempts).
pub type Due = (i64, String, String, String, i32);

crate::outbox_statements!(o, "sms");

/// Leases due texts (skipping rows another worker holds on PostgreSQL) and loads them.
pub fn claim(c: &mut AnyConnection, now: NaiveDateTime, lease_until: NaiveDateTime, limit: i64) -> AppResult<Vec<Due>> {
    let ids = lease_due(c, now, lease_until, limit)?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(o::table.filter(o::id.eq_any(&ids)).select((o::id, o::dedup_id, o::phone, o::body, o::attempts)).load(c)?)
}

/// Empties the bodies of these texts (secrets such as sign-in codes, once sent or dead).
pub fn forget_bodies(c: &mut AnyConnection, ids: &[i64]) -> AppResult<()> {
    if !ids.is_empty() {
        diesel::update(o::table.filter(o::id.eq_any(ids))).set(o::body.eq("")).execute(c)?;
    }
    Ok(())
}

/// Seals up to `limit` recipients after id `after` (`Legacy`: stored before sealing; `All`:
/// also those sealed under an older key); answers (rows changed, last id looked at).
pub fn reseal(
    c: &mut AnyConnection,
    pii: &Pii,
    mode: Reseal,
    after: i64,
    limit: i64,
) -> AppResult<(usize, Option<i64>)> {
    let mut q = o::table.filter(o::id.gt(after)).order(o::id).limit(limit).select((o::id, o::phone)).into_boxed();
    q = match mode {
        Reseal::Legacy => q.filter(o::phone.not_like(format!("{}%", crate::platform::pii::PREFIX))),
        Reseal::All => q.filter(o::phone.not_like(format!("{}{}:%", crate::platform::pii::PREFIX, pii.current_kid()))),
    };
    let rows: Vec<(i64, String)> = q.load(c)?;
    for (id, stored) in &rows {
        let plain =
            if crate::platform::pii::is_sealed(stored) { pii.open(field::SMS_PHONE, stored)? } else { stored.clone() };
        diesel::update(o::table.find(id)).set(o::phone.eq(pii.seal(field::SMS_PHONE, &plain))).execute(c)?;
    }
    Ok((rows.len(), rows.last().map(|r| r.0)))
}

/// Queues a text to a person at a milestone, unless this dedup id was queued already, the texts
/// are off, or `recipient` had `cap` texts in the last 24 hours; sent from `not_before` (after
/// the quiet hours). Returns whether it was queued.
#[allow(clippy::too_many_arguments)]
pub fn enqueue_capped(
    c: &mut AnyConnection,
    pii: &Pii,
    (phone, recipient): (&str, &str),
    body: &str,
    dedup_id: &str,
    cap: i64,
    at: NaiveDateTime,
    not_before: NaiveDateTime,
) -> AppResult<bool> {
    let queued: i64 = o::table.filter(o::dedup_id.eq(dedup_id)).count().get_result(c)?;
    if queued > 0 {
        return Ok(false);
    }
    let lately: i64 = o::table
        .filter(o::recipient.eq(recipient))
        .filter(o::created_at.gt(at - chrono::Duration::hours(24)))
        .count()
        .get_result(c)?;
    if lately >= cap {
        tracing::info!(dedup_id, "a milestone text was not queued: the person had their texts for today");
        return Ok(false);
    }
    insert_personal(c, pii, (phone, recipient), body, dedup_id, at, not_before)?;
    Ok(true)
}
