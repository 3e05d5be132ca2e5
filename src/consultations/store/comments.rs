//! SQL of comments on a consultation's articles: by deputies, by constituents, and walk-ins'
//! views entered at a contact point (phone sealed), with the decision on each.

use crate::db::schema::consultation_comments as k;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::pii::{self, field, Pii, Reseal};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct CommentRow {
    pub id: i64,
    pub consultation_id: i64,
    pub article: Option<i32>,
    pub author_kind: String,
    pub deputy_id: Option<i64>,
    pub constituent_id: Option<i64>,
    pub station_id: Option<i64>,
    pub channel: Option<String>,
    pub phone_sealed: Option<String>,
    pub _entered_by: Option<i64>,
    pub body: String,
    pub wording: Option<String>,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub _decided_by: Option<i64>,
    pub _decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Who a new comment is from.
pub enum Author<'a> {
    Deputy(i64),
    Constituent(i64),
    /// (station, channel, sealed phone, staff account)
    WalkIn(i64, &'a str, Option<&'a str>, i64),
}

pub fn insert(
    c: &mut AnyConnection,
    id: i64,
    (article, body, wording): (Option<i32>, &str, Option<&str>),
    author: &Author,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let (kind, deputy, constituent, station, channel, phone, by) = match author {
        Author::Deputy(d) => ("deputy", Some(*d), None, None, None, None, None),
        Author::Constituent(k) => ("constituent", None, Some(*k), None, None, None, None),
        Author::WalkIn(s, ch, ph, by) => ("walk_in", None, None, Some(*s), Some(*ch), *ph, Some(*by)),
    };
    Ok(diesel::insert_into(k::table)
        .values((
            k::consultation_id.eq(id),
            k::article.eq(article),
            k::author_kind.eq(kind),
            k::deputy_id.eq(deputy),
            k::constituent_id.eq(constituent),
            k::station_id.eq(station),
            k::channel.eq(channel),
            k::phone_sealed.eq(phone),
            k::entered_by.eq(by),
            k::body.eq(body),
            k::wording.eq(wording),
            k::created_at.eq(now),
        ))
        .returning(k::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<CommentRow>> {
    Ok(k::table.find(id).first(c).optional()?)
}

/// Every comment of a consultation, by article then as sent.
pub fn of_consultation(c: &mut AnyConnection, id: i64) -> AppResult<Vec<CommentRow>> {
    Ok(k::table.filter(k::consultation_id.eq(id)).order((k::article, k::id)).load(c)?)
}

/// A deputy's or a constituent's own comments.
pub fn mine(
    c: &mut AnyConnection,
    id: i64,
    deputy: Option<i64>,
    constituent: Option<i64>,
) -> AppResult<Vec<CommentRow>> {
    let mut q = k::table.filter(k::consultation_id.eq(id)).into_boxed();
    q = match (deputy, constituent) {
        (Some(d), _) => q.filter(k::deputy_id.eq(d)),
        (None, Some(x)) => q.filter(k::constituent_id.eq(x)),
        (None, None) => return Ok(vec![]),
    };
    Ok(q.order(k::id).limit(500).load(c)?)
}

/// The deputies who commented.
pub fn deputies(c: &mut AnyConnection, id: i64) -> AppResult<Vec<i64>> {
    Ok(k::table
        .filter(k::consultation_id.eq(id))
        .filter(k::deputy_id.is_not_null())
        .select(k::deputy_id.assume_not_null())
        .distinct()
        .load(c)?)
}

/// Records the decision on a comment.
pub fn decide(
    c: &mut AnyConnection,
    id: i64,
    (decision, reason): (&str, &str),
    by: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(k::table.find(id))
        .set((k::decision.eq(decision), k::reason.eq(reason), k::decided_by.eq(by), k::decided_at.eq(now)))
        .execute(c)?;
    Ok(())
}

/// The sealing pass over walk-ins' phones (see [`crate::ops::pii`]).
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
    let rows: Vec<(i64, Option<String>)> =
        k::table.filter(k::id.gt(after)).order(k::id).limit(limit).select((k::id, k::phone_sealed)).load(c)?;
    let mut changed = 0;
    for (id, stored) in rows.iter().filter_map(|(id, s)| s.as_ref().map(|s| (id, s))) {
        if pii.is_current(stored) {
            continue;
        }
        let plain =
            if pii::is_sealed(stored) { pii.open(field::WALK_IN_COMMENT_PHONE, stored)? } else { stored.clone() };
        diesel::update(k::table.find(id))
            .set(k::phone_sealed.eq(pii.seal(field::WALK_IN_COMMENT_PHONE, &plain)))
            .execute(c)?;
        changed += 1;
    }
    Ok((changed, rows.last().map(|r| r.0)))
}
