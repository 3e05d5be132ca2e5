//! All SQL of duty reports: scheduling, drafting on frozen figures, the steps of review, the
//! session's event, and the reports of a plan or a deputy.

pub(in crate::reports) mod nudges;
pub(in crate::reports) mod ratings;
pub(in crate::reports) mod tallies;

use crate::db::schema::duty_reports as r;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct ReportRow {
    pub id: i64,
    pub deputy_id: i64,
    pub region_path: String,
    pub term: i32,
    pub year: Option<i32>,
    pub status: String,
    pub body: String,
    pub figures: Option<String>,
    pub chain_head: Option<String>,
    pub station_id: Option<i64>,
    pub electoral_unit: Option<String>,
    pub representatives: i32,
    pub scheduled_for: Option<NaiveDateTime>,
    pub event_id: Option<i64>,
    pub staff_comment: Option<String>,
    pub reminded_at: Option<NaiveDateTime>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
}

/// Where and when a report is to be given, and to whom.
pub struct Schedule<'a> {
    pub deputy: i64,
    pub region_path: &'a str,
    pub term: i32,
    pub station: i64,
    pub electoral_unit: Option<&'a str>,
    /// Registered representatives of the electoral unit invited (they may vote on paper).
    pub representatives: i32,
    pub at: NaiveDateTime,
}

/// Stores a scheduled report (no text yet); answers its id.
pub fn insert_scheduled(c: &mut AnyConnection, s: &Schedule, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(r::table)
        .values((
            r::deputy_id.eq(s.deputy),
            r::region_path.eq(s.region_path),
            r::term.eq(s.term),
            r::status.eq("scheduled"),
            r::station_id.eq(s.station),
            r::electoral_unit.eq(s.electoral_unit),
            r::representatives.eq(s.representatives),
            r::scheduled_for.eq(s.at),
            r::created_at.eq(now),
            r::updated_at.eq(now),
        ))
        .returning(r::id)
        .get_result(c)?)
}

/// Moves a report not yet drafted to another date, station or unit.
pub fn reschedule(c: &mut AnyConnection, id: i64, s: &Schedule, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(r::table.find(id))
        .set((
            r::station_id.eq(s.station),
            r::electoral_unit.eq(s.electoral_unit),
            r::representatives.eq(s.representatives),
            r::scheduled_for.eq(s.at),
            r::updated_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// Stores a new draft with nothing scheduled; answers its id.
pub fn insert_draft(c: &mut AnyConnection, deputy: i64, path: &str, term: i32, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(r::table)
        .values((
            r::deputy_id.eq(deputy),
            r::region_path.eq(path),
            r::term.eq(term),
            r::status.eq("scheduled"),
            r::created_at.eq(now),
            r::updated_at.eq(now),
        ))
        .returning(r::id)
        .get_result(c)?)
}

/// Freezes the figures a report stands on and opens it as a draft with the deputy's text.
pub fn freeze(
    c: &mut AnyConnection,
    id: i64,
    (year, figures, head): (i32, &str, &str),
    body: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    Ok(diesel::update(r::table.find(id).filter(r::status.eq("scheduled")))
        .set((
            r::status.eq("draft"),
            r::year.eq(year),
            r::figures.eq(figures),
            r::chain_head.eq(head),
            r::body.eq(body),
            r::version.eq(r::version + 1),
            r::updated_at.eq(now),
        ))
        .execute(c)?
        == 1)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<ReportRow>> {
    Ok(r::table.find(id).first(c).optional()?)
}

/// A deputy's report of a term not yet drafted (the one staff scheduled), if any.
pub fn scheduled_of(c: &mut AnyConnection, deputy: i64, term: i32) -> AppResult<Option<ReportRow>> {
    Ok(r::table
        .filter(r::deputy_id.eq(deputy))
        .filter(r::term.eq(term))
        .filter(r::status.eq("scheduled"))
        .order(r::id)
        .first(c)
        .optional()?)
}

/// A deputy's report of a term still before approval (the one a new schedule moves), if any.
pub fn open_of(c: &mut AnyConnection, deputy: i64, term: i32) -> AppResult<Option<ReportRow>> {
    Ok(r::table
        .filter(r::deputy_id.eq(deputy))
        .filter(r::term.eq(term))
        .filter(r::status.eq_any(["scheduled", "draft", "returned", "submitted"]))
        .order(r::id)
        .first(c)
        .optional()?)
}

/// Sets the text, if the report is still at `version` and its text open.
pub fn set_body(c: &mut AnyConnection, id: i64, version: i64, body: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(r::table.find(id).filter(r::version.eq(version)).filter(r::status.eq_any([
        "draft",
        "returned",
        "submitted",
    ])))
    .set((r::body.eq(body), r::version.eq(version + 1), r::updated_at.eq(now)))
    .execute(c)?
        == 1)
}

/// Takes a step from `from` to `to` (false when the report moved meanwhile); a staff comment
/// goes with a return.
pub fn step(
    c: &mut AnyConnection,
    id: i64,
    (from, to): (&str, &str),
    comment: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let q = r::table.find(id).filter(r::status.eq(from));
    let n = match to {
        "returned" => diesel::update(q)
            .set((r::status.eq(to), r::staff_comment.eq(comment), r::version.eq(r::version + 1), r::updated_at.eq(now)))
            .execute(c)?,
        "delivered" => diesel::update(q)
            .set((r::status.eq(to), r::delivered_at.eq(now), r::version.eq(r::version + 1), r::updated_at.eq(now)))
            .execute(c)?,
        "published" => diesel::update(q)
            .set((r::status.eq(to), r::published_at.eq(now), r::version.eq(r::version + 1), r::updated_at.eq(now)))
            .execute(c)?,
        _ => diesel::update(q)
            .set((r::status.eq(to), r::version.eq(r::version + 1), r::updated_at.eq(now)))
            .execute(c)?,
    };
    if n == 1 && to == "published" {
        let (deputy, path, term, year): (i64, String, i32, Option<i32>) =
            r::table.find(id).select((r::deputy_id, r::region_path, r::term, r::year)).first(c)?;
        let d = crate::feed::data::DutyReportPublished { report_id: id, deputy_id: deputy, term, year };
        crate::feed::emit(c, &[crate::feed::Event::duty_report(&d, &path, now)])?;
    }
    Ok(n == 1)
}

/// Links the session's event.
pub fn set_event(c: &mut AnyConnection, id: i64, event: i64) -> AppResult<()> {
    diesel::update(r::table.find(id)).set(r::event_id.eq(event)).execute(c)?;
    Ok(())
}

/// The reports of a congress's subtree in a term (at most 5,000).
pub fn of_plan(c: &mut AnyConnection, path: &str, term: i32) -> AppResult<Vec<ReportRow>> {
    Ok(r::table
        .filter(r::region_path.like(format!("{path}%")))
        .filter(r::term.eq(term))
        .order(r::id)
        .limit(5000)
        .load(c)?)
}

/// A deputy's reports, newest first; only the published ones when `published`.
pub fn of_deputy(c: &mut AnyConnection, deputy: i64, published: bool) -> AppResult<Vec<ReportRow>> {
    let mut q = r::table.filter(r::deputy_id.eq(deputy)).order(r::id.desc()).limit(50).into_boxed();
    if published {
        q = q.filter(r::status.eq("published"));
    }
    Ok(q.load(c)?)
}

/// Of `deputies`, those with a report delivered (or published) in `from..to`.
pub fn delivered_by(
    c: &mut AnyConnection,
    deputies: &[i64],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<std::collections::HashSet<i64>> {
    Ok(r::table
        .filter(r::deputy_id.eq_any(deputies))
        .filter(r::delivered_at.ge(from))
        .filter(r::delivered_at.lt(to))
        .select(r::deputy_id)
        .load::<i64>(c)?
        .into_iter()
        .collect())
}

/// Deputies with a report of a congress under `path` delivered in `from..to`.
pub fn delivered_under(
    c: &mut AnyConnection,
    path: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<std::collections::HashSet<i64>> {
    Ok(r::table
        .filter(r::region_path.like(crate::org::subtree_like(path)))
        .filter(r::delivered_at.ge(from))
        .filter(r::delivered_at.lt(to))
        .select(r::deputy_id)
        .distinct()
        .load::<i64>(c)?
        .into_iter()
        .collect())
}

/// A deputy's reports delivered in `from..to`, oldest first.
pub fn delivered_of(
    c: &mut AnyConnection,
    deputy: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<ReportRow>> {
    Ok(r::table
        .filter(r::deputy_id.eq(deputy))
        .filter(r::delivered_at.ge(from))
        .filter(r::delivered_at.lt(to))
        .order(r::delivered_at)
        .load(c)?)
}

/// Reports not approved yet whose session is before `horizon` and whose deputy was not reminded.
pub fn to_remind(c: &mut AnyConnection, now: NaiveDateTime, horizon: NaiveDateTime) -> AppResult<Vec<ReportRow>> {
    Ok(r::table
        .filter(r::status.eq_any(["scheduled", "draft", "returned", "submitted"]))
        .filter(r::reminded_at.is_null())
        .filter(r::scheduled_for.gt(now))
        .filter(r::scheduled_for.le(horizon))
        .order(r::id)
        .limit(500)
        .load(c)?)
}

pub fn set_reminded(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(r::table.find(id)).set(r::reminded_at.eq(now)).execute(c)?;
    Ok(())
}
