//! SQL of handling opinions: who is in charge (deputy, unit), deadlines and extensions, ratings,
//! merges, the lists of each role, threads and followers.

use super::opinions::OpinionRow;
use crate::db::schema::{constituents as k, opinion_followers as f, opinions as o};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::AppResult;
use crate::platform::pii::{field, Pii};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn assign_deputy(c: &mut AnyConnection, id: i64, deputy: i64) -> AppResult<()> {
    diesel::update(o::table.find(id)).set(o::deputy_id.eq(deputy)).execute(c)?;
    Ok(())
}

/// Hands the case to a unit with a deadline (a fresh start: no pending extension, no reminder).
pub fn set_forwarded(
    c: &mut AnyConnection,
    id: i64,
    unit: i64,
    due: NaiveDateTime,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(o::table.find(id))
        .set((
            o::unit_id.eq(unit),
            o::due_at.eq(due),
            o::forwarded_at.eq(now),
            o::reminded_at.eq(None::<NaiveDateTime>),
            o::extension_until.eq(None::<NaiveDateTime>),
            o::extension_reason.eq(None::<String>),
            o::forward_requested.eq(false),
        ))
        .execute(c)?;
    Ok(())
}

/// Notes the first answer to the constituent (kept once, for the time-to-answer statistics).
pub fn set_first_answer(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(o::table.find(id).filter(o::first_answer_at.is_null()))
        .set(o::first_answer_at.eq(now))
        .execute(c)?;
    Ok(())
}

pub fn set_forward_requested(c: &mut AnyConnection, id: i64) -> AppResult<()> {
    diesel::update(o::table.find(id)).set(o::forward_requested.eq(true)).execute(c)?;
    Ok(())
}

pub fn request_extension(c: &mut AnyConnection, id: i64, until: NaiveDateTime, reason: &str) -> AppResult<()> {
    diesel::update(o::table.find(id)).set((o::extension_until.eq(until), o::extension_reason.eq(reason))).execute(c)?;
    Ok(())
}

/// Approves (the deadline moves, the overdue reminder starts again) or refuses a pending extension.
pub fn decide_extension(c: &mut AnyConnection, id: i64, until: Option<NaiveDateTime>) -> AppResult<()> {
    let clear = (o::extension_until.eq(None::<NaiveDateTime>), o::extension_reason.eq(None::<String>));
    match until {
        Some(u) => diesel::update(o::table.find(id))
            .set((clear, o::due_at.eq(u), o::reminded_at.eq(None::<NaiveDateTime>)))
            .execute(c)?,
        None => diesel::update(o::table.find(id)).set(clear).execute(c)?,
    };
    Ok(())
}

/// A rating: (satisfaction, result 1–5, attitude 1–5); a reopened case starts round 2, escalated.
pub fn set_rating(c: &mut AnyConnection, id: i64, rating: (&str, i32, i32), reopened: bool) -> AppResult<()> {
    let (s, r, a) = rating;
    let q = diesel::update(o::table.find(id));
    if reopened {
        q.set((
            o::satisfaction.eq(s),
            o::result_score.eq(r),
            o::attitude_score.eq(a),
            o::round.eq(2),
            o::escalated.eq(true),
            o::unit_id.eq(None::<i64>),
        ))
        .execute(c)?;
    } else {
        q.set((o::satisfaction.eq(s), o::result_score.eq(r), o::attitude_score.eq(a))).execute(c)?;
    }
    Ok(())
}

pub fn set_merged(c: &mut AnyConnection, id: i64, into: i64) -> AppResult<()> {
    diesel::update(o::table.find(id)).set(o::merged_into.eq(into)).execute(c)?;
    Ok(())
}

pub fn set_reminded(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(o::table.find(id)).set(o::reminded_at.eq(now)).execute(c)?;
    Ok(())
}

/// Forwarded cases past their deadline not reminded since `remind_before`: (id, ticket, unit).
pub fn overdue_unreminded(
    c: &mut AnyConnection,
    now: NaiveDateTime,
    remind_before: NaiveDateTime,
    limit: i64,
) -> AppResult<Vec<(i64, String, Option<i64>)>> {
    Ok(o::table
        .filter(o::status.eq("forwarded"))
        .filter(o::due_at.lt(now))
        .filter(o::reminded_at.is_null().or(o::reminded_at.lt(remind_before)))
        .order(o::due_at)
        .limit(limit)
        .select((o::id, o::ticket, o::unit_id))
        .load(c)?)
}

/// What a list may be narrowed to.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub status: Option<String>,
    pub overdue_at: Option<NaiveDateTime>,
    pub escalated: Option<bool>,
}

/// Whose cases a list shows.
pub enum Owner {
    /// A region path pattern (congress staff).
    Region(String),
    Stations(Vec<i64>),
    Deputy(i64),
    Unit(i64),
    /// A constituent's own cases and those they follow.
    Constituent(i64),
}

/// A page of cases, newest first, with the constituent's phone number (none for a case a deputy
/// raised).
pub fn list(
    c: &mut AnyConnection,
    pii: &Pii,
    owner: &Owner,
    fl: &ListFilter,
    before: i64,
    limit: i64,
) -> AppResult<Vec<(OpinionRow, Option<String>)>> {
    let before = if before > 0 { before } else { i64::MAX };
    let mut q: o::BoxedQuery<'_, MultiBackend> =
        o::table.filter(o::id.lt(before)).order(o::id.desc()).limit(limit + 1).into_boxed();
    q = match owner {
        Owner::Region(p) => q.filter(o::region_path.like(p.clone())),
        Owner::Stations(s) => q.filter(o::station_id.eq_any(s.clone())),
        Owner::Deputy(d) => q.filter(o::deputy_id.eq(*d)),
        Owner::Unit(u) => q.filter(o::unit_id.eq(*u)).filter(o::forwarded_at.is_not_null()),
        Owner::Constituent(k) => {
            let followed = f::table.filter(f::constituent_id.eq(*k)).select(f::opinion_id);
            q.filter(o::constituent_id.eq(*k).or(o::id.eq_any(followed)))
        }
    };
    if let Some(s) = &fl.status {
        q = q.filter(o::status.eq(s.clone()));
    }
    if let Some(now) = fl.overdue_at {
        q = q.filter(o::status.eq("forwarded")).filter(o::due_at.lt(now));
    }
    if let Some(e) = fl.escalated {
        q = q.filter(o::escalated.eq(e));
    }
    let rows: Vec<OpinionRow> = q.load(c)?;
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.constituent_id).collect();
    let mut phones = std::collections::HashMap::new();
    for (id, sealed) in k::table.filter(k::id.eq_any(ids)).select((k::id, k::phone)).load::<(i64, String)>(c)? {
        phones.insert(id, open_phone(pii, &sealed)?);
    }
    Ok(rows
        .into_iter()
        .map(|r| (r.constituent_id.and_then(|k| phones.get(&k).cloned()), r))
        .map(|(p, r)| (r, p))
        .collect())
}

/// Open cases of a category created since `since` inside a bounding box, other than `except`.
pub fn nearby_open(
    c: &mut AnyConnection,
    category: &str,
    bbox: (f64, f64, f64, f64),
    since: NaiveDateTime,
    except: i64,
) -> AppResult<Vec<OpinionRow>> {
    Ok(o::table
        .filter(o::category.eq(category))
        .filter(o::created_at.ge(since))
        .filter(o::status.eq_any(crate::reception::cases::rules::OPEN))
        .filter(o::latitude.between(bbox.0, bbox.1))
        .filter(o::longitude.between(bbox.2, bbox.3))
        .filter(o::id.ne(except))
        .order(o::id.desc())
        .limit(50)
        .load(c)?)
}

/// The constituent's phone (opened) and account.
pub fn constituent_contact(c: &mut AnyConnection, pii: &Pii, constituent: i64) -> AppResult<(String, i64)> {
    let (sealed, account): (String, i64) = k::table.find(constituent).select((k::phone, k::account_id)).first(c)?;
    Ok((open_phone(pii, &sealed)?, account))
}

/// Phone numbers of several constituents, opened, in one query.
pub fn constituent_phones(
    c: &mut AnyConnection,
    pii: &Pii,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = k::table.filter(k::id.eq_any(ids)).select((k::id, k::phone)).load(c)?;
    rows.into_iter().map(|(id, sealed)| Ok((id, open_phone(pii, &sealed)?))).collect()
}

/// The constituent's account.
pub fn constituent_account(c: &mut AnyConnection, constituent: i64) -> AppResult<i64> {
    Ok(k::table.find(constituent).select(k::account_id).first(c)?)
}

/// A stored phone number, opened (the pass at start-up has sealed every row before serving).
fn open_phone(pii: &Pii, stored: &str) -> AppResult<String> {
    pii.open(field::CONSTITUENT_PHONE, stored)
}

/// (id, author role, body, internal, at) of a thread message.
pub type MessageRow = (i64, String, String, bool, NaiveDateTime);

/// The statistics facts of the cases created in [from, to) that an owner handles.
pub fn facts(
    c: &mut AnyConnection,
    owner: &Owner,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<crate::reception::cases::routes::stats::Facts>> {
    let mut q: o::BoxedQuery<'_, MultiBackend> =
        o::table.filter(o::created_at.ge(from)).filter(o::created_at.lt(to)).into_boxed();
    q = match owner {
        Owner::Region(p) => q.filter(o::region_path.like(p.clone())),
        Owner::Stations(s) => q.filter(o::station_id.eq_any(s.clone())),
        Owner::Deputy(d) => q.filter(o::deputy_id.eq(*d)),
        Owner::Unit(u) => q.filter(o::unit_id.eq(*u)),
        Owner::Constituent(k) => q.filter(o::constituent_id.eq(Some(*k))),
    };
    type Row = (
        Option<i64>,
        Option<i64>,
        Option<i64>,
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<String>,
    );
    let rows: Vec<Row> = q
        .select((
            o::station_id,
            o::deputy_id,
            o::unit_id,
            o::region_path,
            o::status,
            o::created_at,
            o::first_answer_at,
            o::forwarded_at,
            o::due_at,
            o::satisfaction,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|r| crate::reception::cases::routes::stats::Facts {
            station: r.0,
            deputy: r.1,
            unit: r.2,
            region_path: r.3,
            status: r.4,
            created_at: r.5,
            first_answer_at: r.6,
            forwarded_at: r.7,
            due_at: r.8,
            satisfaction: r.9,
        })
        .collect())
}
