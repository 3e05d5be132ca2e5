//! All SQL of notices and inboxes.

use crate::db::schema::{deputies as d, inbox as i, notices as n};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::AppResult;
use crate::platform::views::{self, Family};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::IntoSql;

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

/// What an inbox line shows of a notice (no body, no audience: those can be long).
#[derive(Debug, Clone, Queryable)]
pub struct Headline {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub priority: String,
    pub pinned: bool,
    pub published_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub rsvp_required: bool,
    pub rsvp_deadline: Option<NaiveDateTime>,
    pub event_id: Option<i64>,
}

impl From<&NoticeRow> for Headline {
    fn from(n: &NoticeRow) -> Self {
        Headline {
            id: n.id,
            kind: n.kind.clone(),
            title: n.title.clone(),
            priority: n.priority.clone(),
            pinned: n.pinned,
            published_at: n.published_at,
            expires_at: n.expires_at,
            rsvp_required: n.rsvp_required,
            rsvp_deadline: n.rsvp_deadline,
            event_id: n.event_id,
        }
    }
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
pub fn list(c: &mut AnyConnection, pattern: &str, status: Option<&str>, before: i64, limit: i64) -> AppResult<Vec<NoticeRow>> {
    let mut q = n::table.filter(n::region_path.like(pattern.to_string())).order(n::id.desc()).limit(limit + 1).into_boxed();
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
    Ok(diesel::update(n::table.filter(n::id.eq(id)).filter(n::status.eq_any(["draft", "scheduled"])))
        .set((n::status.eq("published"), n::published_at.eq(at), n::targeted.eq(targeted), n::version.eq(n::version + 1)))
        .execute(c)?
        == 1)
}

pub fn set_status(c: &mut AnyConnection, id: i64, from: &[&str], to: &str, publish_at: Option<NaiveDateTime>) -> AppResult<bool> {
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
    Ok(n::table.filter(n::status.eq("scheduled")).filter(n::publish_at.le(now)).order(n::id).limit(limit).select(n::id).load(c)?)
}

/// One inbox row per deputy, 1,000 rows a statement.
pub fn fill_inbox(c: &mut AnyConnection, notice: i64, deputies: &[i64]) -> AppResult<()> {
    views::touch_all(Family::Inbox);
    for chunk in deputies.chunks(1000) {
        let rows: Vec<_> = chunk.iter().map(|dep| (i::notice_id.eq(notice), i::deputy_id.eq(*dep))).collect();
        crate::per_backend!(&mut *c, |x| diesel::insert_into(i::table).values(&rows).execute(x))?;
    }
    Ok(())
}

/// (read_at, rsvp, rsvp_reason, rsvp_at, leave_status) of one inbox row.
pub type InboxState = (Option<NaiveDateTime>, Option<String>, Option<String>, Option<NaiveDateTime>, Option<String>);

pub fn inbox_row(c: &mut AnyConnection, notice: i64, deputy: i64) -> AppResult<Option<InboxState>> {
    Ok(i::table.find((notice, deputy)).select((i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status)).first(c).optional()?)
}

/// A deputy's published, unexpired notices with their inbox state: pinned ones (first page only)
/// then the others newest first, before `before`. The filters are bound parameters of one
/// fixed statement (this is the app's busiest list).
pub fn inbox(
    c: &mut AnyConnection,
    deputy: i64,
    now: NaiveDateTime,
    unread: bool,
    kind: Option<&str>,
    before: i64,
    limit: i64,
) -> AppResult<Vec<(Headline, InboxState)>> {
    use diesel::dsl::not;
    use diesel::sql_types::Bool;
    let (any_kind, kind) = (kind.is_none(), kind.unwrap_or("").to_string());
    let before = if before > 0 { before } else { i64::MAX };
    let q = || {
        i::table
            .inner_join(n::table)
            .filter(i::deputy_id.eq(deputy))
            .filter(n::status.eq("published"))
            .filter(n::expires_at.is_null().or(n::expires_at.gt(now)))
            .filter(i::read_at.is_null().or(not(unread.into_sql::<Bool>())))
            .filter(n::kind.eq(kind.clone()).or(any_kind.into_sql::<Bool>()))
            .filter(i::notice_id.lt(before))
            .select((
                (n::id, n::kind, n::title, n::priority, n::pinned, n::published_at, n::expires_at, n::rsvp_required, n::rsvp_deadline, n::event_id),
                (i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status),
            ))
    };
    // The first page in one statement (one round trip): pinned first, then the newest. When more
    // than `FEW_PINNED` pinned ones come back, the others may be cut short: a second statement
    // reads them (and the pinned are capped at 200).
    const FEW_PINNED: i64 = 10;
    if before == i64::MAX {
        let mut rows: Vec<(Headline, InboxState)> = q().order((n::pinned.desc(), i::notice_id.desc())).limit(limit + 1 + FEW_PINNED).load(c)?;
        let pinned = rows.iter().take_while(|r| r.0.pinned).count();
        if pinned as i64 <= FEW_PINNED {
            rows.truncate(pinned + limit as usize + 1);
            return Ok(rows);
        }
        let mut out: Vec<(Headline, InboxState)> = q().filter(n::pinned.eq(true)).order(i::notice_id.desc()).limit(200).load(c)?;
        out.extend(q().filter(n::pinned.eq(false)).order(i::notice_id.desc()).limit(limit + 1).load::<(Headline, InboxState)>(c)?);
        return Ok(out);
    }
    let out = q().filter(n::pinned.eq(false)).order(i::notice_id.desc()).limit(limit + 1).load::<(Headline, InboxState)>(c)?;
    Ok(out)
}

/// How many of a deputy's published, unexpired notices are unread, and when the first of them
/// expires (the count changes then).
pub fn unread(c: &mut AnyConnection, deputy: i64, now: NaiveDateTime) -> AppResult<(i64, Option<NaiveDateTime>)> {
    use diesel::dsl::{count_star, min};
    Ok(i::table
        .inner_join(n::table)
        .filter(i::deputy_id.eq(deputy))
        .filter(i::read_at.is_null())
        .filter(n::status.eq("published"))
        .filter(n::expires_at.is_null().or(n::expires_at.gt(now)))
        .select((count_star(), min(n::expires_at)))
        .first(c)?)
}

/// Keeps the first read time.
pub fn mark_read(c: &mut AnyConnection, notice: i64, deputy: i64, at: NaiveDateTime) -> AppResult<()> {
    views::touch(Family::Inbox, deputy);
    diesel::update(i::table.find((notice, deputy)).filter(i::read_at.is_null())).set(i::read_at.eq(at)).execute(c)?;
    Ok(())
}

pub fn answer(c: &mut AnyConnection, notice: i64, deputy: i64, rsvp: &str, reason: Option<&str>, leave: Option<&str>, at: NaiveDateTime) -> AppResult<()> {
    views::touch(Family::Inbox, deputy);
    diesel::update(i::table.find((notice, deputy)))
        .set((i::rsvp.eq(rsvp), i::rsvp_reason.eq(reason), i::rsvp_at.eq(at), i::leave_status.eq(leave)))
        .execute(c)?;
    // Answering is reading.
    mark_read(c, notice, deputy, at)
}

pub fn decide_leave(c: &mut AnyConnection, notice: i64, deputy: i64, status: &str) -> AppResult<bool> {
    views::touch(Family::Inbox, deputy);
    Ok(diesel::update(i::table.find((notice, deputy)).filter(i::leave_status.eq("pending"))).set(i::leave_status.eq(status)).execute(c)? == 1)
}

/// (total, read, pushed, acknowledged) of a notice's inbox rows.
pub type Totals = (i64, i64, i64, i64);
/// (rsvp, leave status, count).
pub type AnswerGroup = (Option<String>, Option<String>, i64);

/// The totals and the answer groups of a notice.
pub fn counts(c: &mut AnyConnection, notice: i64) -> AppResult<(Totals, Vec<AnswerGroup>)> {
    use diesel::dsl::{count, count_star};
    let totals = i::table.filter(i::notice_id.eq(notice)).select((count_star(), count(i::read_at), count(i::pushed_at), count(i::acked_at))).first(c)?;
    let groups = i::table.filter(i::notice_id.eq(notice)).group_by((i::rsvp, i::leave_status)).select((i::rsvp, i::leave_status, count_star())).load(c)?;
    Ok((totals, groups))
}

/// Recipients with their state, by deputy id after `after`; `filter`: unread, unanswered,
/// leave_pending or everyone.
pub fn recipients(c: &mut AnyConnection, notice: i64, filter: Option<&str>, after: i64, limit: i64) -> AppResult<Vec<(i64, String, InboxState)>> {
    let mut q = i::table
        .inner_join(d::table)
        .filter(i::notice_id.eq(notice))
        .filter(i::deputy_id.gt(after))
        .order(i::deputy_id)
        .limit(limit + 1)
        .select((i::deputy_id, d::name, (i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status)))
        .into_boxed::<MultiBackend>();
    match filter {
        Some("unread") => q = q.filter(i::read_at.is_null()),
        Some("unanswered") => q = q.filter(i::rsvp.is_null()),
        Some("leave_pending") => q = q.filter(i::leave_status.eq("pending")),
        _ => {}
    }
    Ok(q.load(c)?)
}

/// One recipient with their state.
pub fn recipient(c: &mut AnyConnection, notice: i64, deputy: i64) -> AppResult<Option<(i64, String, InboxState)>> {
    Ok(i::table
        .inner_join(d::table)
        .filter(i::notice_id.eq(notice))
        .filter(i::deputy_id.eq(deputy))
        .select((i::deputy_id, d::name, (i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status)))
        .first(c)
        .optional()?)
}

/// Deputies who have not read the notice.
pub fn unread_deputies(c: &mut AnyConnection, notice: i64) -> AppResult<Vec<i64>> {
    Ok(i::table.filter(i::notice_id.eq(notice)).filter(i::read_at.is_null()).order(i::deputy_id).select(i::deputy_id).load(c)?)
}

/// Records that a device of each deputy was sent the notice (and the provider accepted it).
pub fn pushed(c: &mut AnyConnection, notice: i64, deputies: &[i64], acked: bool, at: NaiveDateTime) -> AppResult<()> {
    if deputies.is_empty() {
        return Ok(());
    }
    let rows = || i::table.filter(i::notice_id.eq(notice)).filter(i::deputy_id.eq_any(deputies));
    diesel::update(rows().filter(i::pushed_at.is_null())).set(i::pushed_at.eq(at)).execute(c)?;
    if acked {
        diesel::update(rows().filter(i::acked_at.is_null())).set(i::acked_at.eq(at)).execute(c)?;
    }
    Ok(())
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
    Ok(if unanswered { q.filter(i::read_at.is_null().or(i::rsvp.is_null())).load(c)? } else { q.filter(i::read_at.is_null()).load(c)? })
}

pub fn mark_escalated(c: &mut AnyConnection, notice: i64, at: NaiveDateTime) -> AppResult<()> {
    diesel::update(n::table.find(notice)).set(n::escalated_at.eq(at)).execute(c)?;
    Ok(())
}
