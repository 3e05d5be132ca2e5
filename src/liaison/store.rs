//! All SQL of liaison links and their contacts.

use crate::db::schema::{liaison_contacts as lc, liaison_links as l};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct LinkRow {
    pub id: i64,
    pub region_id: i64,
    pub region_path: String,
    pub term: i32,
    pub member_deputy_id: Option<i64>,
    pub member_account_id: Option<i64>,
    pub member_key: String,
    pub deputy_id: Option<i64>,
    pub group_id: Option<i64>,
    pub target_key: String,
    pub yearly_target: i32,
    pub status: String,
    pub _created_by: i64,
    pub created_at: NaiveDateTime,
    pub _ended_at: Option<NaiveDateTime>,
}

/// A link as stored: congress (id, path), term, member (deputy or account), target (deputy or
/// group), yearly target.
pub struct NewLink<'a> {
    pub congress: (i64, &'a str),
    pub term: i32,
    pub member: (Option<i64>, Option<i64>),
    pub target: (Option<i64>, Option<i64>),
    pub yearly_target: i32,
    pub by: i64,
}

pub fn insert(c: &mut AnyConnection, n: &NewLink, now: NaiveDateTime) -> AppResult<i64> {
    let (member_key, target_key) = crate::liaison::rules::keys(n.member, n.target);
    Ok(diesel::insert_into(l::table)
        .values((
            l::region_id.eq(n.congress.0),
            l::region_path.eq(n.congress.1),
            l::term.eq(n.term),
            l::member_deputy_id.eq(n.member.0),
            l::member_account_id.eq(n.member.1),
            l::member_key.eq(member_key),
            l::deputy_id.eq(n.target.0),
            l::group_id.eq(n.target.1),
            l::target_key.eq(target_key),
            l::yearly_target.eq(n.yearly_target),
            l::status.eq("active"),
            l::created_by.eq(n.by),
            l::created_at.eq(now),
        ))
        .returning(l::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<LinkRow>> {
    Ok(l::table.find(id).first(c).optional()?)
}

/// Ends an active link (false: ended already).
pub fn end(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(l::table.find(id).filter(l::status.eq("active")))
        .set((l::status.eq("ended"), l::ended_at.eq(now)))
        .execute(c)?;
    Ok(n == 1)
}

/// The links of the congress at `path` (and its term if given), active ones only if asked.
pub fn of_congress(c: &mut AnyConnection, path: &str, term: Option<i32>, active: bool) -> AppResult<Vec<LinkRow>> {
    let mut q = l::table.filter(l::region_path.eq(path)).into_boxed();
    if let Some(t) = term {
        q = q.filter(l::term.eq(t));
    }
    if active {
        q = q.filter(l::status.eq("active"));
    }
    Ok(q.order(l::id).limit(20_000).load(c)?)
}

/// Active links where the member is this deputy or account, or the target this deputy or one of
/// these groups.
pub fn of_person(c: &mut AnyConnection, deputy: Option<i64>, account: i64, groups: &[i64]) -> AppResult<Vec<LinkRow>> {
    let mut q = l::table.filter(l::status.eq("active")).filter(l::member_account_id.eq(account)).into_boxed();
    if let Some(d) = deputy {
        q = q.or_filter(l::status.eq("active").and(l::member_deputy_id.eq(d).or(l::deputy_id.eq(d))));
    }
    if !groups.is_empty() {
        q = q.or_filter(l::status.eq("active").and(l::group_id.eq_any(groups.to_vec())));
    }
    Ok(q.order(l::id).limit(500).load(c)?)
}

/// A contact as logged.
pub struct NewContact<'a> {
    pub link: i64,
    pub side: &'a str,
    pub deputy: Option<i64>,
    pub on: &'a str,
    pub channel: &'a str,
    pub summary: &'a str,
    pub issues: &'a str,
    pub by: i64,
}

pub fn add_contact(c: &mut AnyConnection, n: &NewContact, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(lc::table)
        .values((
            lc::link_id.eq(n.link),
            lc::side.eq(n.side),
            lc::deputy_id.eq(n.deputy),
            lc::contact_on.eq(n.on),
            lc::channel.eq(n.channel),
            lc::summary.eq(n.summary),
            lc::issues.eq(n.issues),
            lc::logged_by.eq(n.by),
            lc::created_at.eq(now),
        ))
        .returning(lc::id)
        .get_result(c)?)
}

/// (id, side, deputy, on, channel, summary, issues, at) of a link's contacts, newest first.
pub type ContactRow =
    (i64, String, Option<i64>, String, String, String, String, NaiveDateTime, Option<i64>, Option<String>);

/// The columns of a [`ContactRow`].
const CONTACT: (
    lc::id,
    lc::side,
    lc::deputy_id,
    lc::contact_on,
    lc::channel,
    lc::summary,
    lc::issues,
    lc::created_at,
    lc::suggestion_id,
    lc::opinion_ticket,
) = (
    lc::id,
    lc::side,
    lc::deputy_id,
    lc::contact_on,
    lc::channel,
    lc::summary,
    lc::issues,
    lc::created_at,
    lc::suggestion_id,
    lc::opinion_ticket,
);

/// One contact of a link.
pub fn contact(c: &mut AnyConnection, link: i64, id: i64) -> AppResult<Option<ContactRow>> {
    Ok(lc::table.find(id).filter(lc::link_id.eq(link)).select(CONTACT).first(c).optional()?)
}

pub fn contacts(c: &mut AnyConnection, link: i64) -> AppResult<Vec<ContactRow>> {
    Ok(lc::table
        .filter(lc::link_id.eq(link))
        .order((lc::contact_on.desc(), lc::id.desc()))
        .limit(500)
        .select(CONTACT)
        .load(c)?)
}

/// Contacts per link dated in [from, to) (YYYY-MM-DD).
pub fn counts(c: &mut AnyConnection, links: &[i64], (from, to): (&str, &str)) -> AppResult<Vec<(i64, i64)>> {
    use diesel::dsl::count_star;
    Ok(lc::table
        .filter(lc::link_id.eq_any(links))
        .filter(lc::contact_on.ge(from))
        .filter(lc::contact_on.lt(to))
        .group_by(lc::link_id)
        .select((lc::link_id, count_star()))
        .load(c)?)
}

/// (deputy, group) targets of the active links (this term's) of congresses under `path`.
pub fn targets_under(c: &mut AnyConnection, path: &str) -> AppResult<Vec<(Option<i64>, Option<i64>)>> {
    Ok(l::table
        .filter(l::region_path.like(crate::org::subtree_like(path)))
        .filter(l::status.eq("active"))
        .select((l::deputy_id, l::group_id))
        .distinct()
        .load(c)?)
}

/// The deputies contacted on the active links of congresses under `path`, dated in [from, to).
pub fn contacted_under(
    c: &mut AnyConnection,
    path: &str,
    (from, to): (&str, &str),
) -> AppResult<std::collections::HashSet<i64>> {
    let rows: Vec<Option<i64>> = lc::table
        .inner_join(l::table.on(l::id.eq(lc::link_id)))
        .filter(l::region_path.like(crate::org::subtree_like(path)))
        .filter(l::status.eq("active"))
        .filter(lc::contact_on.ge(from.to_string()))
        .filter(lc::contact_on.lt(to.to_string()))
        .select(lc::deputy_id)
        .distinct()
        .load(c)?;
    Ok(rows.into_iter().flatten().collect())
}

/// Notes what a contact's issues became (false: carried already).
pub fn set_carried(
    c: &mut AnyConnection,
    id: i64,
    (suggestion, ticket): (Option<i64>, Option<&str>),
) -> AppResult<bool> {
    Ok(diesel::update(lc::table.find(id).filter(lc::suggestion_id.is_null()).filter(lc::opinion_ticket.is_null()))
        .set((lc::suggestion_id.eq(suggestion), lc::opinion_ticket.eq(ticket)))
        .execute(c)?
        == 1)
}
