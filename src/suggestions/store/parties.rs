//! SQL of the parties to a suggestion: co-signers, assigned units and their contacts, urges,
//! attachments.

use crate::db::schema::{
    suggestion_contacts as sc, suggestion_cosigners as co, suggestion_units as su, suggestions as s,
};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn invite(c: &mut AnyConnection, id: i64, deputies: &[i64]) -> AppResult<()> {
    for d in deputies {
        let row = (co::suggestion_id.eq(id), co::deputy_id.eq(*d), co::status.eq("invited"));
        crate::per_backend!(&mut *c, |x| diesel::insert_into(co::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(x))?;
    }
    Ok(())
}

/// (deputy, status) of the co-signers.
pub fn cosigners(c: &mut AnyConnection, id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(co::table.filter(co::suggestion_id.eq(id)).order(co::deputy_id).select((co::deputy_id, co::status)).load(c)?)
}

/// Records an invited co-signer's answer (false when they were not invited or already answered).
pub fn decide_cosign(c: &mut AnyConnection, id: i64, deputy: i64, status: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(co::table.find((id, deputy)).filter(co::status.eq("invited")))
        .set((co::status.eq(status), co::decided_at.eq(now)))
        .execute(c)?
        == 1)
}

pub fn assign_units(c: &mut AnyConnection, id: i64, lead: i64, cos: &[i64]) -> AppResult<()> {
    diesel::delete(su::table.filter(su::suggestion_id.eq(id))).execute(c)?;
    let mut rows = vec![(su::suggestion_id.eq(id), su::unit_id.eq(lead), su::role.eq("lead"))];
    rows.extend(
        cos.iter().filter(|u| **u != lead).map(|u| (su::suggestion_id.eq(id), su::unit_id.eq(*u), su::role.eq("co"))),
    );
    crate::per_backend!(&mut *c, |x| diesel::insert_into(su::table).values(&rows).execute(x))?;
    Ok(())
}

/// (unit, role, acknowledged at) of the assigned units.
pub fn units(c: &mut AnyConnection, id: i64) -> AppResult<Vec<(i64, String, Option<NaiveDateTime>)>> {
    Ok(su::table
        .filter(su::suggestion_id.eq(id))
        .order(su::unit_id)
        .select((su::unit_id, su::role, su::acknowledged_at))
        .load(c)?)
}

pub fn acknowledge(c: &mut AnyConnection, id: i64, unit: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(su::table.find((id, unit)).filter(su::acknowledged_at.is_null()))
        .set(su::acknowledged_at.eq(now))
        .execute(c)?;
    Ok(())
}

pub struct NewContact<'a> {
    pub unit: i64,
    pub account: i64,
    pub channel: &'a str,
    pub on: &'a str,
    pub summary: &'a str,
    pub round: i32,
}

pub fn add_contact(c: &mut AnyConnection, id: i64, n: &NewContact, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(sc::table)
        .values((
            sc::suggestion_id.eq(id),
            sc::unit_id.eq(n.unit),
            sc::account_id.eq(n.account),
            sc::channel.eq(n.channel),
            sc::contacted_on.eq(n.on),
            sc::summary.eq(n.summary),
            sc::round.eq(n.round),
            sc::created_at.eq(now),
        ))
        .returning(sc::id)
        .get_result(c)?)
}

/// (id, unit, channel, date, summary, round) of the contacts, oldest first.
pub type ContactRow = (i64, i64, String, String, String, i32);

pub fn contacts(c: &mut AnyConnection, id: i64) -> AppResult<Vec<ContactRow>> {
    Ok(sc::table
        .filter(sc::suggestion_id.eq(id))
        .order(sc::id)
        .select((sc::id, sc::unit_id, sc::channel, sc::contacted_on, sc::summary, sc::round))
        .load(c)?)
}

pub fn add_urge(
    c: &mut AnyConnection,
    id: i64,
    by: (i64, &str, i32),
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
    use crate::db::schema::suggestion_urges as u;
    diesel::insert_into(u::table)
        .values((
            u::suggestion_id.eq(id),
            u::account_id.eq(by.0),
            u::role.eq(by.1),
            u::weight.eq(by.2),
            u::note.eq(note),
            u::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// (suggestion, weighted urges, urges) of the suggestions under a region pattern that were urged.
pub fn urges(c: &mut AnyConnection, pattern: &str) -> AppResult<Vec<(i64, Option<i64>, i64)>> {
    use crate::db::schema::suggestion_urges as u;
    Ok(u::table
        .inner_join(s::table)
        .filter(s::region_path.like(pattern.to_string()))
        .group_by(u::suggestion_id)
        .select((u::suggestion_id, diesel::dsl::sum(u::weight), diesel::dsl::count(u::id)))
        .load(c)?)
}

/// The lead unit of each of these suggestions.
pub fn lead_units(c: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    Ok(su::table
        .filter(su::suggestion_id.eq_any(ids))
        .filter(su::role.eq("lead"))
        .select((su::suggestion_id, su::unit_id))
        .load(c)?)
}

/// (id, file name, content type, size, SHA-256, storage key) of an attachment.
pub type AttachmentRow = (i64, String, String, i64, String, String);

pub fn add_attachment(
    c: &mut AnyConnection,
    id: i64,
    f: &crate::files::Received,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<i64> {
    use crate::db::schema::suggestion_attachments as a;
    Ok(diesel::insert_into(a::table)
        .values((
            a::suggestion_id.eq(id),
            a::file_name.eq(&f.name),
            a::content_type.eq(f.content_type),
            a::size_bytes.eq(f.size),
            a::sha256.eq(&f.sha256),
            a::storage_key.eq(&f.key),
            a::uploaded_by.eq(by),
            a::created_at.eq(now),
        ))
        .returning(a::id)
        .get_result(c)?)
}

pub fn attachments(c: &mut AnyConnection, id: i64) -> AppResult<Vec<AttachmentRow>> {
    use crate::db::schema::suggestion_attachments as a;
    Ok(a::table
        .filter(a::suggestion_id.eq(id))
        .order(a::id)
        .select((a::id, a::file_name, a::content_type, a::size_bytes, a::sha256, a::storage_key))
        .load(c)?)
}

/// An attachment and the suggestion it belongs to.
pub fn attachment(c: &mut AnyConnection, id: i64) -> AppResult<Option<(i64, AttachmentRow)>> {
    use crate::db::schema::suggestion_attachments as a;
    Ok(a::table
        .find(id)
        .select((a::suggestion_id, (a::id, a::file_name, a::content_type, a::size_bytes, a::sha256, a::storage_key)))
        .first(c)
        .optional()?)
}
