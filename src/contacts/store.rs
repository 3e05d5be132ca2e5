//! All SQL of fixed contacts and their visits.

use crate::contacts::rules;
use crate::db::schema::{fixed_contact_visits as v, fixed_contacts as f};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::pii::{self, field, Pii, Reseal};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Queryable)]
pub struct ContactRow {
    pub id: i64,
    pub deputy_id: i64,
    pub region_path: String,
    pub name: String,
    pub phone_sealed: String,
    pub community: String,
    pub every_days: i32,
    pub consent_on: String,
    pub consent_how: String,
    pub status: String,
    pub last_visit_on: Option<String>,
    pub due_on: String,
    pub _reminded_on: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A contact as stored (the phone sealed by the caller).
pub struct NewContact<'a> {
    pub deputy: i64,
    pub region_path: &'a str,
    pub name: &'a str,
    pub phone_sealed: &'a str,
    pub community: &'a str,
    pub every_days: i32,
    pub consent: (&'a str, &'a str),
}

pub fn insert(c: &mut AnyConnection, n: &NewContact, now: NaiveDateTime) -> AppResult<i64> {
    let due = rules::day(n.consent.0).map(|d| rules::due_on(None, d, n.every_days)).unwrap_or(now.date());
    Ok(diesel::insert_into(f::table)
        .values((
            f::deputy_id.eq(n.deputy),
            f::region_path.eq(n.region_path),
            f::name.eq(n.name),
            f::phone_sealed.eq(n.phone_sealed),
            f::community.eq(n.community),
            f::every_days.eq(n.every_days),
            f::consent_on.eq(n.consent.0),
            f::consent_how.eq(n.consent.1),
            f::status.eq("active"),
            f::due_on.eq(due.format("%Y-%m-%d").to_string()),
            f::created_at.eq(now),
        ))
        .returning(f::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<ContactRow>> {
    Ok(f::table.find(id).first(c).optional()?)
}

/// A deputy's contacts, active first, then by name.
pub fn of_deputy(c: &mut AnyConnection, deputy: i64) -> AppResult<Vec<ContactRow>> {
    Ok(f::table.filter(f::deputy_id.eq(deputy)).order((f::status.asc(), f::name.asc(), f::id.asc())).load(c)?)
}

pub fn count_active(c: &mut AnyConnection, deputy: i64) -> AppResult<i64> {
    Ok(f::table.filter(f::deputy_id.eq(deputy)).filter(f::status.eq("active")).count().get_result(c)?)
}

/// Ends an active contact (false: ended already).
pub fn end(c: &mut AnyConnection, id: i64) -> AppResult<bool> {
    Ok(diesel::update(f::table.find(id).filter(f::status.eq("active"))).set(f::status.eq("ended")).execute(c)? == 1)
}

/// The active contacts under a congress's path.
pub fn active_under(c: &mut AnyConnection, path: &str) -> AppResult<Vec<ContactRow>> {
    Ok(f::table
        .filter(f::region_path.like(crate::org::subtree_like(path)))
        .filter(f::status.eq("active"))
        .order(f::id)
        .load(c)?)
}

pub struct NewVisit<'a> {
    pub contact: i64,
    pub on: &'a str,
    pub channel: &'a str,
    pub summary: &'a str,
    pub issues: &'a str,
    pub opinion_ticket: Option<&'a str>,
}

/// Logs a visit and moves the contact's last visit forward (never back).
pub fn add_visit(c: &mut AnyConnection, n: &NewVisit, now: NaiveDateTime) -> AppResult<i64> {
    let id = diesel::insert_into(v::table)
        .values((
            v::contact_id.eq(n.contact),
            v::visit_on.eq(n.on),
            v::channel.eq(n.channel),
            v::summary.eq(n.summary),
            v::issues.eq(n.issues),
            v::opinion_ticket.eq(n.opinion_ticket),
            v::created_at.eq(now),
        ))
        .returning(v::id)
        .get_result(c)?;
    let (every, last): (i32, Option<String>) =
        f::table.find(n.contact).select((f::every_days, f::last_visit_on)).first(c)?;
    if last.as_deref().is_none_or(|l| l < n.on) {
        let due = rules::day(n.on).map(|d| rules::due_on(Some(d), d, every).format("%Y-%m-%d").to_string());
        diesel::update(f::table.find(n.contact))
            .set((f::last_visit_on.eq(n.on), f::due_on.eq(due.unwrap_or_else(|| n.on.to_string()))))
            .execute(c)?;
    }
    Ok(id)
}

pub type VisitRow = (i64, i64, String, String, String, String, Option<String>, NaiveDateTime);

/// The columns of a [`VisitRow`].
const VISIT: (v::id, v::contact_id, v::visit_on, v::channel, v::summary, v::issues, v::opinion_ticket, v::created_at) =
    (v::id, v::contact_id, v::visit_on, v::channel, v::summary, v::issues, v::opinion_ticket, v::created_at);

pub fn visits(c: &mut AnyConnection, contact: i64) -> AppResult<Vec<VisitRow>> {
    Ok(v::table
        .filter(v::contact_id.eq(contact))
        .order((v::visit_on.desc(), v::id.desc()))
        .limit(500)
        .select(VISIT)
        .load(c)?)
}

pub fn visit(c: &mut AnyConnection, id: i64) -> AppResult<Option<VisitRow>> {
    Ok(v::table.find(id).select(VISIT).first(c).optional()?)
}

/// Visits per deputy dated in [from, to) (YYYY-MM-DD), under a congress's path.
pub fn visits_per_deputy(c: &mut AnyConnection, path: &str, (from, to): (&str, &str)) -> AppResult<HashMap<i64, i64>> {
    use diesel::dsl::count_star;
    let rows: Vec<(i64, i64)> = v::table
        .inner_join(f::table.on(f::id.eq(v::contact_id)))
        .filter(f::region_path.like(crate::org::subtree_like(path)))
        .filter(v::visit_on.ge(from.to_string()))
        .filter(v::visit_on.lt(to.to_string()))
        .group_by(f::deputy_id)
        .select((f::deputy_id, count_star()))
        .load(c)?;
    Ok(rows.into_iter().collect())
}

/// The deputies under `path` with at least one active fixed contact and none overdue on `today`
/// (one grouped scan: a deputy's earliest due date).
pub fn on_schedule(c: &mut AnyConnection, path: &str, today: NaiveDate) -> AppResult<HashSet<i64>> {
    use diesel::dsl::min;
    let today = today.format("%Y-%m-%d").to_string();
    let rows: Vec<(i64, Option<String>)> = f::table
        .filter(f::region_path.like(crate::org::subtree_like(path)))
        .filter(f::status.eq("active"))
        .group_by(f::deputy_id)
        .select((f::deputy_id, min(f::due_on)))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter(|(_, due)| due.as_deref().is_some_and(|d| d >= today.as_str()))
        .map(|(d, _)| d)
        .collect())
}

/// Active contacts overdue on `today` whose deputy was not reminded for this due date (at most
/// `limit`): (id, deputy, name, due).
pub fn to_remind(c: &mut AnyConnection, today: NaiveDate, limit: i64) -> AppResult<Vec<(i64, i64, String, String)>> {
    Ok(f::table
        .filter(f::status.eq("active"))
        .filter(f::due_on.lt(today.format("%Y-%m-%d").to_string()))
        .filter(f::reminded_on.is_null().or(f::reminded_on.ne(f::due_on.nullable())))
        .order((f::deputy_id, f::id))
        .limit(limit)
        .select((f::id, f::deputy_id, f::name, f::due_on))
        .load(c)?)
}

/// Notes that the deputy was reminded for the due date `due`.
pub fn set_reminded(c: &mut AnyConnection, id: i64, due: &str) -> AppResult<()> {
    diesel::update(f::table.find(id)).set(f::reminded_on.eq(due)).execute(c)?;
    Ok(())
}

/// The sealing pass over the contacts' phones (see [`crate::ops::pii`]).
pub fn reseal(
    c: &mut AnyConnection,
    pii: &Pii,
    mode: Reseal,
    after: i64,
    limit: i64,
) -> AppResult<(usize, Option<i64>)> {
    if mode == Reseal::Legacy {
        return Ok((0, None));
    }
    let rows: Vec<(i64, String)> =
        f::table.filter(f::id.gt(after)).order(f::id).limit(limit).select((f::id, f::phone_sealed)).load(c)?;
    let mut changed = 0;
    for (id, stored) in &rows {
        if pii.is_current(stored) {
            continue;
        }
        let plain = if pii::is_sealed(stored) { pii.open(field::FIXED_CONTACT_PHONE, stored)? } else { stored.clone() };
        diesel::update(f::table.find(id))
            .set(f::phone_sealed.eq(pii.seal(field::FIXED_CONTACT_PHONE, &plain)))
            .execute(c)?;
        changed += 1;
    }
    Ok((changed, rows.last().map(|r| r.0)))
}
