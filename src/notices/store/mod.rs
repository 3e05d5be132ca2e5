//! All SQL of notices (their inboxes: [`inbox`]).

pub(in crate::notices) mod attachments;

use crate::db::schema::{inbox as i, notices as n};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::views::{self, Family};
use chrono::NaiveDateTime;
use diesel::prelude::*;

mod inbox;
pub use inbox::*;

// The whole row (loaded column for column), so a few columns are stored but not read here.
#[allow(dead_code)]
#[derive(Debug, Clone, Queryable)]
pub struct NoticeRow {
    pub id: i64,
    pub region_id: i64,
    pub region_path: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub priority: String,
    pub pinned: bool,
    pub audience: String,
    pub status: String,
    pub publish_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub rsvp_required: bool,
    pub rsvp_deadline: Option<NaiveDateTime>,
    pub leave_needs_approval: bool,
    pub event_id: Option<i64>,
    pub targeted: i64,
    pub remind_round: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub version: i64,
    pub escalated_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = n, treat_none_as_default_value = false)]
pub struct NewNotice<'a> {
    pub region_id: i64,
    pub region_path: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub priority: &'a str,
    pub pinned: bool,
    pub audience: &'a str,
    pub status: &'a str,
    pub publish_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub rsvp_required: bool,
    pub rsvp_deadline: Option<NaiveDateTime>,
    pub leave_needs_approval: bool,
    pub event_id: Option<i64>,
    pub targeted: i64,
    pub remind_round: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub version: i64,
}

pub fn insert(c: &mut AnyConnection, x: &NewNotice) -> AppResult<i64> {
    Ok(diesel::insert_into(n::table).values(x).returning(n::id).get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<NoticeRow>> {
    Ok(n::table.find(id).first(c).optional()?)
}

/// Notices under a region path pattern, newest first, before `before` (0 = from the newest).
pub fn list(
    c: &mut AnyConnection,
    pattern: &str,
    status: Option<&str>,
    before: i64,
    limit: i64,
) -> AppResult<Vec<NoticeRow>> {
    let mut q =
        n::table.filter(n::region_path.like(pattern.to_string())).order(n::id.desc()).limit(limit + 1).into_boxed();
    if before > 0 {
        q = q.filter(n::id.lt(before));
    }
    if let Some(s) = status {
        q = q.filter(n::status.eq(s.to_string()));
    }
    Ok(q.load(c)?)
}

/// Marks a draft or scheduled notice published; false when it was not (any more).
pub fn mark_published(c: &mut AnyConnection, id: i64, targeted: i64, at: NaiveDateTime) -> AppResult<bool> {
    views::touch_all(Family::Inbox);
    let done = diesel::update(n::table.filter(n::id.eq(id)).filter(n::status.eq_any(["draft", "scheduled"])))
        .set((
            n::status.eq("published"),
            n::published_at.eq(at),
            n::targeted.eq(targeted),
            n::version.eq(n::version + 1),
        ))
        .execute(c)?;
    if done != 1 {
        return Ok(false);
    }
    let (kind, title, path): (String, String, String) =
        n::table.find(id).select((n::kind, n::title, n::region_path)).first(c)?;
    let d = crate::feed::data::NoticePublished { notice_id: id, kind, title, recipients: targeted };
    crate::feed::emit(c, &[crate::feed::Event::notice(&d, &path, at)])?;
    Ok(true)
}

pub fn set_status(
    c: &mut AnyConnection,
    id: i64,
    from: &[&str],
    to: &str,
    publish_at: Option<NaiveDateTime>,
) -> AppResult<bool> {
    views::touch_all(Family::Inbox);
    Ok(diesel::update(n::table.filter(n::id.eq(id)).filter(n::status.eq_any(from)))
        .set((n::status.eq(to), n::publish_at.eq(publish_at), n::version.eq(n::version + 1)))
        .execute(c)?
        == 1)
}

pub fn next_round(c: &mut AnyConnection, id: i64) -> AppResult<i32> {
    diesel::update(n::table.find(id)).set(n::remind_round.eq(n::remind_round + 1)).execute(c)?;
    Ok(n::table.find(id).select(n::remind_round).first(c)?)
}

/// Scheduled notices whose time has come.
pub fn due(c: &mut AnyConnection, now: NaiveDateTime, limit: i64) -> AppResult<Vec<i64>> {
    Ok(n::table
        .filter(n::status.eq("scheduled"))
        .filter(n::publish_at.le(now))
        .order(n::id)
        .limit(limit)
        .select(n::id)
        .load(c)?)
}

/// Published notices to escalate by SMS now: urgent ones, and those asking for an answer whose
/// deadline falls before `horizon` (and has not passed); each only once.
pub fn to_escalate(c: &mut AnyConnection, now: NaiveDateTime, horizon: NaiveDateTime) -> AppResult<Vec<NoticeRow>> {
    let soon = n::rsvp_required.eq(true).and(n::rsvp_deadline.le(horizon)).and(n::rsvp_deadline.gt(now));
    Ok(n::table
        .filter(n::status.eq("published"))
        .filter(n::escalated_at.is_null())
        .filter(n::expires_at.is_null().or(n::expires_at.gt(now)))
        .filter(n::priority.eq("urgent").or(soon))
        .order(n::id)
        .limit(50)
        .load(c)?)
}

/// Deputies who have not read the notice (or, with `unanswered`, not answered it either).
pub fn to_chase(c: &mut AnyConnection, notice: i64, unanswered: bool) -> AppResult<Vec<i64>> {
    let q = i::table.filter(i::notice_id.eq(notice)).order(i::deputy_id).select(i::deputy_id);
    Ok(if unanswered {
        q.filter(i::read_at.is_null().or(i::rsvp.is_null())).load(c)?
    } else {
        q.filter(i::read_at.is_null()).load(c)?
    })
}

pub fn mark_escalated(c: &mut AnyConnection, notice: i64, at: NaiveDateTime) -> AppResult<()> {
    diesel::update(n::table.find(notice)).set(n::escalated_at.eq(at)).execute(c)?;
    Ok(())
}
