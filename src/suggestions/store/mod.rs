//! SQL of suggestions themselves: the filing, its state and history, the lists (the parties —
//! co-signers, units, contacts, urges, attachments — are in [`crate::suggestions::party_store`], re-exported).

pub(in crate::suggestions) mod outcomes;
pub(in crate::suggestions) mod parties;
pub(in crate::suggestions) mod tracking;

use crate::db::schema::{
    suggestion_cosigners as co, suggestion_events as ev, suggestion_units as su, suggestions as s,
};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub use parties::*;

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
    pub opinion_ticket: Option<String>,
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

/// Several suggestions at once (in no particular order).
pub fn get_many(c: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<SuggestionRow>> {
    Ok(s::table.filter(s::id.eq_any(ids)).load(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<SuggestionRow>> {
    Ok(s::table.find(id).first(c).optional()?)
}

pub fn by_number(c: &mut AnyConnection, number: &str) -> AppResult<Option<SuggestionRow>> {
    Ok(s::table.filter(s::number.eq(number)).first(c).optional()?)
}

/// Moves a suggestion from `from` to `to` (false when it was no longer in `from`).
pub fn set_status(c: &mut AnyConnection, id: i64, from: &str, to: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(s::table.find(id).filter(s::status.eq(from)))
        .set((s::status.eq(to), s::updated_at.eq(now), s::version.eq(s::version + 1)))
        .execute(c)?
        == 1)
}

/// Numbers a suggestion at its first submission.
pub fn set_submitted(c: &mut AnyConnection, id: i64, number: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id).filter(s::number.is_null()))
        .set((s::number.eq(number), s::submitted_at.eq(now)))
        .execute(c)?;
    Ok(())
}

pub fn revise(c: &mut AnyConnection, id: i64, text: (&str, &str, &str)) -> AppResult<()> {
    diesel::update(s::table.find(id))
        .set((s::title.eq(text.0), s::content.eq(text.1), s::category.eq(text.2)))
        .execute(c)?;
    Ok(())
}

pub fn set_assignment(c: &mut AnyConnection, id: i64, due: NaiveDateTime, key_leader: Option<&str>) -> AppResult<()> {
    diesel::update(s::table.find(id)).set((s::due_at.eq(due), s::key_leader.eq(key_leader))).execute(c)?;
    Ok(())
}

pub fn set_reply(
    c: &mut AnyConnection,
    id: i64,
    classification: &str,
    text: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(s::table.find(id))
        .set((s::classification.eq(classification), s::reply.eq(text), s::replied_at.eq(now)))
        .execute(c)?;
    Ok(())
}

/// The author's evaluation; a second round starts when `again`.
pub fn set_evaluation(
    c: &mut AnyConnection,
    id: i64,
    satisfaction: &str,
    comment: Option<&str>,
    again: bool,
) -> AppResult<()> {
    let q = diesel::update(s::table.find(id));
    if again {
        q.set((s::satisfaction.eq(satisfaction), s::evaluation.eq(comment), s::round.eq(s::round + 1))).execute(c)?;
    } else {
        q.set((s::satisfaction.eq(satisfaction), s::evaluation.eq(comment))).execute(c)?;
    }
    Ok(())
}

pub fn event(
    c: &mut AnyConnection,
    id: i64,
    change: (Option<&str>, &str),
    actor: (i64, &str),
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
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
    if change.0 != Some(change.1) {
        let (deputy, path): (i64, String) = s::table.find(id).select((s::author_deputy_id, s::region_path)).first(c)?;
        let d = crate::feed::data::SuggestionStatus {
            suggestion_id: id,
            deputy_id: deputy,
            from: change.0.map(str::to_string),
            to: change.1.to_string(),
        };
        crate::feed::emit(c, &[crate::feed::Event::suggestion(&d, &path, now)])?;
    }
    Ok(())
}

pub use crate::http::StatusRow as EventRow;

pub fn events(c: &mut AnyConnection, id: i64) -> AppResult<Vec<EventRow>> {
    Ok(ev::table
        .filter(ev::suggestion_id.eq(id))
        .order(ev::id)
        .select((ev::from_status, ev::to_status, ev::actor_role, ev::note, ev::created_at))
        .load(c)?)
}

/// Whose suggestions a list shows.
pub enum Owner {
    Region(String),
    /// Authored or co-signed by a deputy.
    Deputy(i64),
    Unit(i64),
}

pub fn list(
    c: &mut AnyConnection,
    owner: &Owner,
    status: Option<&str>,
    before: i64,
    limit: i64,
) -> AppResult<Vec<SuggestionRow>> {
    let before = if before > 0 { before } else { i64::MAX };
    let mut q: s::BoxedQuery<'_, MultiBackend> =
        s::table.filter(s::id.lt(before)).order(s::id.desc()).limit(limit + 1).into_boxed();
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
    diesel::update(s::table.find(id))
        .set((s::extension_months.eq(months), s::extension_reason.eq(reason)))
        .execute(c)?;
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

pub fn set_cleared(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(s::table.find(id)).set((s::cleared_at.eq(now), s::classification.eq("A"))).execute(c)?;
    Ok(())
}

/// Marks an excellent suggestion (false when it already was).
pub fn set_excellent(c: &mut AnyConnection, id: i64) -> AppResult<bool> {
    Ok(diesel::update(s::table.find(id).filter(s::excellent.eq(false))).set(s::excellent.eq(true)).execute(c)? == 1)
}

/// The opinion a converted suggestion became.
pub fn set_opinion_ticket(c: &mut AnyConnection, id: i64, ticket: &str) -> AppResult<()> {
    diesel::update(s::table.find(id)).set(s::opinion_ticket.eq(ticket)).execute(c)?;
    Ok(())
}
