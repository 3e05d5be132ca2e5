//! All SQL of inboxes: one row per deputy and notice, read, answered and pushed.

use super::NoticeRow;
use crate::db::schema::{inbox as i, notices as n};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::AppResult;
use crate::platform::views::{self, Family};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::IntoSql;

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
    Ok(i::table
        .find((notice, deputy))
        .select((i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status))
        .first(c)
        .optional()?)
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
                (
                    n::id,
                    n::kind,
                    n::title,
                    n::priority,
                    n::pinned,
                    n::published_at,
                    n::expires_at,
                    n::rsvp_required,
                    n::rsvp_deadline,
                    n::event_id,
                ),
                (i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status),
            ))
    };
    // The first page in one statement (one round trip): pinned first, then the newest. When more
    // than `FEW_PINNED` pinned ones come back, the others may be cut short: a second statement
    // reads them (and the pinned are capped at 200).
    const FEW_PINNED: i64 = 10;
    if before == i64::MAX {
        let mut rows: Vec<(Headline, InboxState)> =
            q().order((n::pinned.desc(), i::notice_id.desc())).limit(limit + 1 + FEW_PINNED).load(c)?;
        let pinned = rows.iter().take_while(|r| r.0.pinned).count();
        if pinned as i64 <= FEW_PINNED {
            rows.truncate(pinned + limit as usize + 1);
            return Ok(rows);
        }
        let mut out: Vec<(Headline, InboxState)> =
            q().filter(n::pinned.eq(true)).order(i::notice_id.desc()).limit(200).load(c)?;
        out.extend(
            q().filter(n::pinned.eq(false))
                .order(i::notice_id.desc())
                .limit(limit + 1)
                .load::<(Headline, InboxState)>(c)?,
        );
        return Ok(out);
    }
    let out = q()
        .filter(n::pinned.eq(false))
        .order(i::notice_id.desc())
        .limit(limit + 1)
        .load::<(Headline, InboxState)>(c)?;
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

pub fn answer(
    c: &mut AnyConnection,
    notice: i64,
    deputy: i64,
    rsvp: &str,
    reason: Option<&str>,
    leave: Option<&str>,
    at: NaiveDateTime,
) -> AppResult<()> {
    views::touch(Family::Inbox, deputy);
    diesel::update(i::table.find((notice, deputy)))
        .set((i::rsvp.eq(rsvp), i::rsvp_reason.eq(reason), i::rsvp_at.eq(at), i::leave_status.eq(leave)))
        .execute(c)?;
    // Answering is reading.
    mark_read(c, notice, deputy, at)
}

pub fn decide_leave(c: &mut AnyConnection, notice: i64, deputy: i64, status: &str) -> AppResult<bool> {
    views::touch(Family::Inbox, deputy);
    Ok(diesel::update(i::table.find((notice, deputy)).filter(i::leave_status.eq("pending")))
        .set(i::leave_status.eq(status))
        .execute(c)?
        == 1)
}

/// (total, read, pushed, acknowledged) of a notice's inbox rows.
pub type Totals = (i64, i64, i64, i64);
/// (rsvp, leave status, count).
pub type AnswerGroup = (Option<String>, Option<String>, i64);

/// The totals and the answer groups of a notice.
pub fn counts(c: &mut AnyConnection, notice: i64) -> AppResult<(Totals, Vec<AnswerGroup>)> {
    use diesel::dsl::{count, count_star};
    let totals = i::table
        .filter(i::notice_id.eq(notice))
        .select((count_star(), count(i::read_at), count(i::pushed_at), count(i::acked_at)))
        .first(c)?;
    let groups = i::table
        .filter(i::notice_id.eq(notice))
        .group_by((i::rsvp, i::leave_status))
        .select((i::rsvp, i::leave_status, count_star()))
        .load(c)?;
    Ok((totals, groups))
}

/// Recipients with their state, by deputy id after `after`; `filter`: unread, unanswered,
/// leave_pending or everyone.
pub fn recipients(
    c: &mut AnyConnection,
    notice: i64,
    filter: Option<&str>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<(i64, InboxState)>> {
    let mut q = i::table
        .filter(i::notice_id.eq(notice))
        .filter(i::deputy_id.gt(after))
        .order(i::deputy_id)
        .limit(limit + 1)
        .select((i::deputy_id, (i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status)))
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
pub fn recipient(c: &mut AnyConnection, notice: i64, deputy: i64) -> AppResult<Option<(i64, InboxState)>> {
    Ok(i::table
        .filter(i::notice_id.eq(notice))
        .filter(i::deputy_id.eq(deputy))
        .select((i::deputy_id, (i::read_at, i::rsvp, i::rsvp_reason, i::rsvp_at, i::leave_status)))
        .first(c)
        .optional()?)
}

/// Deputies who have not read the notice.
pub fn unread_deputies(c: &mut AnyConnection, notice: i64) -> AppResult<Vec<i64>> {
    Ok(i::table
        .filter(i::notice_id.eq(notice))
        .filter(i::read_at.is_null())
        .order(i::deputy_id)
        .select(i::deputy_id)
        .load(c)?)
}

/// Records that a device of each deputy was sent the notice (and the provider accepted it).
pub fn pushed(c: &mut AnyConnection, notice: i64, deputies: &[i64], acked: bool, at: NaiveDateTime) -> AppResult<()> {
    if deputies.is_empty() {
        return Ok(());
    }
    let rows = i::table.filter(i::notice_id.eq(notice)).filter(i::deputy_id.eq_any(deputies));
    match acked {
        // One new version of each row, both stamps in it (each stamp kept if it was set).
        true => diesel::update(rows.filter(i::pushed_at.is_null().or(i::acked_at.is_null())))
            .set((i::pushed_at.eq(first_of(i::pushed_at, at)), i::acked_at.eq(first_of(i::acked_at, at))))
            .execute(c)?,
        false => diesel::update(rows.filter(i::pushed_at.is_null())).set(i::pushed_at.eq(at)).execute(c)?,
    };
    Ok(())
}

use diesel::sql_types::{Nullable, Timestamp};
diesel::define_sql_function!(
    /// The stamp if it is set, else `at`.
    #[sql_name = "COALESCE"]
    fn first_of(stamp: Nullable<Timestamp>, at: Timestamp) -> Nullable<Timestamp>
);
