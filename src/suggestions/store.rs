//! All SQL of suggestions: the filing, co-signers, assigned units, contacts, events.

use crate::db::schema::{suggestion_contacts as sc, suggestion_cosigners as co, suggestion_events as ev, suggestion_units as su, suggestions as s};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct SuggestionRow {
    pub id: i64,
    pub number: Option<String>,
    pub author_deputy_id: i64,
    pub author_account: i64,
    pub region_path: String,
    pub title: String,
    pub content: String,
    pub category: String,
    pub period: String,
    pub status: String,
    pub publish_consent: bool,
    pub key_leader: Option<String>,
    pub due_at: Option<NaiveDateTime>,
    pub classification: Option<String>,
    pub reply: Option<String>,
    pub replied_at: Option<NaiveDateTime>,
    pub satisfaction: Option<String>,
    pub evaluation: Option<String>,
    pub round: i32,
    pub extension_months: Option<i32>,
    pub extension_reason: Option<String>,
    pub cleared_at: Option<NaiveDateTime>,
    pub reminded_at: Option<NaiveDateTime>,
    pub excellent: bool,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

pub struct NewSuggestion<'a> {
    pub author: i64,
    pub account: i64,
    pub region_path: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    pub category: &'a str,
    pub period: &'a str,
    pub publish_consent: bool,
}

pub fn insert(c: &mut AnyConnection, n: &NewSuggestion, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(s::table)
        .values((
            s::author_deputy_id.eq(n.author),
            s::author_account.eq(n.account),
            s::region_path.eq(n.region_path),
            s::title.eq(n.title),
            s::content.eq(n.content),
            s::category.eq(n.category),
            s::period.eq(n.period),
            s::status.eq("draft"),
            s::publish_consent.eq(n.publish_consent),
            s::created_at.eq(now),
            s::updated_at.eq(now),
            s::version.eq(1i64),
        ))
        .returning(s::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<SuggestionRow>> {
    Ok(s::table.find(id).first(c).optional()?)
}

/// Moves a suggestion from `from` to `to` (false when it was no longer in `from`).
pub fn set_status(c: &mut AnyConnection, id: i64, from: &str, to: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(s::table.find(id).filter(s::status.eq(from))).set((s::status.eq(to), s::updated_at.eq(now), s::version.eq(s::version + 1))).execute(c)?
        == 1)
}

/// Numbers a suggestion at its first submission.
pub fn set_submitted(c: &mut AnyConnection, id: i64, number: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id).filter(s::number.is_null())).set((s::number.eq(number), s::submitted_at.eq(now))).execute(c)?;
    Ok(())
}

pub fn revise(c: &mut AnyConnection, id: i64, text: (&str, &str, &str)) -> AppResult<()> {
    diesel::update(s::table.find(id)).set((s::title.eq(text.0), s::content.eq(text.1), s::category.eq(text.2))).execute(c)?;
    Ok(())
}

pub fn set_assignment(c: &mut AnyConnection, id: i64, due: NaiveDateTime, key_leader: Option<&str>) -> AppResult<()> {
    diesel::update(s::table.find(id)).set((s::due_at.eq(due), s::key_leader.eq(key_leader))).execute(c)?;
    Ok(())
}

pub fn set_reply(c: &mut AnyConnection, id: i64, classification: &str, text: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id)).set((s::classification.eq(classification), s::reply.eq(text), s::replied_at.eq(now))).execute(c)?;
    Ok(())
}

/// The author's evaluation; a second round starts when `again`.
pub fn set_evaluation(c: &mut AnyConnection, id: i64, satisfaction: &str, comment: Option<&str>, again: bool) -> AppResult<()> {
    let q = diesel::update(s::table.find(id));
    if again {
        q.set((s::satisfaction.eq(satisfaction), s::evaluation.eq(comment), s::round.eq(s::round + 1))).execute(c)?;
    } else {
        q.set((s::satisfaction.eq(satisfaction), s::evaluation.eq(comment))).execute(c)?;
    }
    Ok(())
}

pub fn event(c: &mut AnyConnection, id: i64, change: (Option<&str>, &str), actor: (i64, &str), note: Option<&str>, now: NaiveDateTime) -> AppResult<()> {
    diesel::insert_into(ev::table)
        .values((
            ev::suggestion_id.eq(id),
            ev::from_status.eq(change.0),
            ev::to_status.eq(change.1),
            ev::actor_account.eq(actor.0),
            ev::actor_role.eq(actor.1),
            ev::note.eq(note),
            ev::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

pub use crate::http::StatusRow as EventRow;

pub fn events(c: &mut AnyConnection, id: i64) -> AppResult<Vec<EventRow>> {
    Ok(ev::table.filter(ev::suggestion_id.eq(id)).order(ev::id).select((ev::from_status, ev::to_status, ev::actor_role, ev::note, ev::created_at)).load(c)?)
}

pub fn invite(c: &mut AnyConnection, id: i64, deputies: &[i64]) -> AppResult<()> {
    for d in deputies {
        let row = (co::suggestion_id.eq(id), co::deputy_id.eq(*d), co::status.eq("invited"));
        crate::per_backend!(&mut *c, |x| diesel::insert_into(co::table).values(row).on_conflict_do_nothing().execute(x))?;
    }
    Ok(())
}

/// (deputy, status) of the co-signers.
pub fn cosigners(c: &mut AnyConnection, id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(co::table.filter(co::suggestion_id.eq(id)).order(co::deputy_id).select((co::deputy_id, co::status)).load(c)?)
}

/// Records an invited co-signer's answer (false when they were not invited or already answered).
pub fn decide_cosign(c: &mut AnyConnection, id: i64, deputy: i64, status: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(co::table.find((id, deputy)).filter(co::status.eq("invited"))).set((co::status.eq(status), co::decided_at.eq(now))).execute(c)? == 1)
}

pub fn assign_units(c: &mut AnyConnection, id: i64, lead: i64, cos: &[i64]) -> AppResult<()> {
    diesel::delete(su::table.filter(su::suggestion_id.eq(id))).execute(c)?;
    let mut rows = vec![(su::suggestion_id.eq(id), su::unit_id.eq(lead), su::role.eq("lead"))];
    rows.extend(cos.iter().filter(|u| **u != lead).map(|u| (su::suggestion_id.eq(id), su::unit_id.eq(*u), su::role.eq("co"))));
    crate::per_backend!(&mut *c, |x| diesel::insert_into(su::table).values(&rows).execute(x))?;
    Ok(())
}

/// (unit, role, acknowledged at) of the assigned units.
pub fn units(c: &mut AnyConnection, id: i64) -> AppResult<Vec<(i64, String, Option<NaiveDateTime>)>> {
    Ok(su::table.filter(su::suggestion_id.eq(id)).order(su::unit_id).select((su::unit_id, su::role, su::acknowledged_at)).load(c)?)
}

pub fn acknowledge(c: &mut AnyConnection, id: i64, unit: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(su::table.find((id, unit)).filter(su::acknowledged_at.is_null())).set(su::acknowledged_at.eq(now)).execute(c)?;
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
    Ok(sc::table.filter(sc::suggestion_id.eq(id)).order(sc::id).select((sc::id, sc::unit_id, sc::channel, sc::contacted_on, sc::summary, sc::round)).load(c)?)
}

/// Whose suggestions a list shows.
pub enum Owner {
    Region(String),
    /// Authored or co-signed by a deputy.
    Deputy(i64),
    Unit(i64),
}

pub fn list(c: &mut AnyConnection, owner: &Owner, status: Option<&str>, before: i64, limit: i64) -> AppResult<Vec<SuggestionRow>> {
    let before = if before > 0 { before } else { i64::MAX };
    let mut q: s::BoxedQuery<'_, MultiBackend> = s::table.filter(s::id.lt(before)).order(s::id.desc()).limit(limit + 1).into_boxed();
    q = match owner {
        // Staff see what was submitted, not drafts.
        Owner::Region(p) => q.filter(s::region_path.like(p.clone())).filter(s::status.ne("draft")),
        Owner::Deputy(d) => {
            let cosigned = co::table.filter(co::deputy_id.eq(*d)).select(co::suggestion_id);
            q.filter(s::author_deputy_id.eq(*d).or(s::id.eq_any(cosigned)))
        }
        Owner::Unit(u) => {
            let mine = su::table.filter(su::unit_id.eq(*u)).select(su::suggestion_id);
            q.filter(s::id.eq_any(mine))
        }
    };
    if let Some(st) = status {
        q = q.filter(s::status.eq(st.to_string()));
    }
    Ok(q.load(c)?)
}

pub fn request_extension(c: &mut AnyConnection, id: i64, months: i32, reason: &str) -> AppResult<()> {
    diesel::update(s::table.find(id)).set((s::extension_months.eq(months), s::extension_reason.eq(reason))).execute(c)?;
    Ok(())
}

/// Approves (the deadline moves to `due`) or refuses the pending extension.
pub fn decide_extension(c: &mut AnyConnection, id: i64, due: Option<NaiveDateTime>) -> AppResult<()> {
    let clear = (s::extension_months.eq(None::<i32>), s::extension_reason.eq(None::<String>));
    match due {
        Some(d) => diesel::update(s::table.find(id)).set((clear, s::due_at.eq(d))).execute(c)?,
        None => diesel::update(s::table.find(id)).set(clear).execute(c)?,
    };
    Ok(())
}

pub fn add_urge(c: &mut AnyConnection, id: i64, by: (i64, &str, i32), note: Option<&str>, now: NaiveDateTime) -> AppResult<()> {
    use crate::db::schema::suggestion_urges as u;
    diesel::insert_into(u::table)
        .values((u::suggestion_id.eq(id), u::account_id.eq(by.0), u::role.eq(by.1), u::weight.eq(by.2), u::note.eq(note), u::created_at.eq(now)))
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

pub fn set_cleared(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id)).set((s::cleared_at.eq(now), s::classification.eq("A"))).execute(c)?;
    Ok(())
}

/// Marks an excellent suggestion (false when it already was).
pub fn set_excellent(c: &mut AnyConnection, id: i64) -> AppResult<bool> {
    Ok(diesel::update(s::table.find(id).filter(s::excellent.eq(false))).set(s::excellent.eq(true)).execute(c)? == 1)
}

/// B items (being solved) carried over: rated, not yet cleared, oldest first.
pub fn tracking(c: &mut AnyConnection, pattern: &str, limit: i64) -> AppResult<Vec<SuggestionRow>> {
    Ok(s::table
        .filter(s::region_path.like(pattern.to_string()))
        .filter(s::classification.eq("B"))
        .filter(s::status.eq_any(["replied", "evaluated"]))
        .filter(s::cleared_at.is_null())
        .order(s::id)
        .limit(limit)
        .load(c)?)
}

/// Suggestions submitted in [from, to) under a region pattern (for statistics).
pub fn submitted_between(c: &mut AnyConnection, pattern: &str, from: NaiveDateTime, to: NaiveDateTime) -> AppResult<Vec<SuggestionRow>> {
    Ok(s::table.filter(s::region_path.like(pattern.to_string())).filter(s::submitted_at.ge(from)).filter(s::submitted_at.lt(to)).load(c)?)
}

/// The lead unit of each of these suggestions.
pub fn lead_units(c: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    Ok(su::table.filter(su::suggestion_id.eq_any(ids)).filter(su::role.eq("lead")).select((su::suggestion_id, su::unit_id)).load(c)?)
}

/// Replies the authors agreed to publish, newest first.
pub fn published(c: &mut AnyConnection, before: i64, limit: i64) -> AppResult<Vec<SuggestionRow>> {
    let before = if before > 0 { before } else { i64::MAX };
    Ok(s::table
        .filter(s::publish_consent.eq(true))
        .filter(s::status.eq_any(["replied", "evaluated"]))
        .filter(s::id.lt(before))
        .order(s::id.desc())
        .limit(limit + 1)
        .load(c)?)
}

/// (id, file name, content type, size, SHA-256, storage key) of an attachment.
pub type AttachmentRow = (i64, String, String, i64, String, String);

pub fn add_attachment(c: &mut AnyConnection, id: i64, f: &crate::files::upload::Received, by: i64, now: NaiveDateTime) -> AppResult<i64> {
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
    Ok(a::table.find(id).select((a::suggestion_id, (a::id, a::file_name, a::content_type, a::size_bytes, a::sha256, a::storage_key))).first(c).optional()?)
}

/// Assigned suggestions past their deadline whose lead unit was not texted since `before`:
/// (id, title, lead unit).
pub fn overdue_unreminded(c: &mut AnyConnection, now: NaiveDateTime, before: NaiveDateTime, limit: i64) -> AppResult<Vec<(i64, String, Option<i64>)>> {
    let lead = su::table.filter(su::suggestion_id.eq(s::id)).filter(su::role.eq("lead")).select(su::unit_id).single_value();
    Ok(s::table
        .filter(s::status.eq("assigned"))
        .filter(s::due_at.lt(now))
        .filter(s::reminded_at.is_null().or(s::reminded_at.lt(before)))
        .order(s::due_at)
        .limit(limit)
        .select((s::id, s::title, lead))
        .load(c)?)
}

pub fn set_reminded(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id)).set(s::reminded_at.eq(now)).execute(c)?;
    Ok(())
}
