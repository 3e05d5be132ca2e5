//! SQL of carrying out the adopted projects: their units (lead and co-units), milestones,
//! progress reports with photos, inspections (events linked to a project) and the deputies'
//! remarks on them.

use crate::db::schema::{
    project_candidates as pc, project_inspection_remarks as ir, project_inspections as pi, project_milestones as m,
    project_photos as ph, project_progress as pg, project_rounds as r, project_units as pu,
};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::projects::rules::works::{CO, LEAD};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Replaces a project's units: the lead first, then the co-units.
pub fn set_units(c: &mut AnyConnection, project: i64, lead: i64, co: &[i64]) -> AppResult<()> {
    diesel::delete(pu::table.filter(pu::candidate_id.eq(project))).execute(c)?;
    let mut rows = vec![(pu::candidate_id.eq(project), pu::unit_id.eq(lead), pu::role.eq(LEAD))];
    rows.extend(
        co.iter().filter(|u| **u != lead).map(|u| (pu::candidate_id.eq(project), pu::unit_id.eq(*u), pu::role.eq(CO))),
    );
    crate::per_backend!(&mut *c, |x| diesel::insert_into(pu::table).values(&rows).execute(x))?;
    Ok(())
}

/// (project, unit, role) of the projects given.
pub fn units_of(c: &mut AnyConnection, projects: &[i64]) -> AppResult<Vec<(i64, i64, String)>> {
    Ok(pu::table
        .filter(pu::candidate_id.eq_any(projects))
        .order((pu::candidate_id, pu::role.desc(), pu::unit_id))
        .select((pu::candidate_id, pu::unit_id, pu::role))
        .load(c)?)
}

/// The projects a unit leads or co-handles.
pub fn projects_of_unit(c: &mut AnyConnection, unit: i64) -> AppResult<Vec<i64>> {
    Ok(pu::table.filter(pu::unit_id.eq(unit)).select(pu::candidate_id).load(c)?)
}

/// (id, project, title, due on, done on).
pub type MilestoneRow = (i64, i64, String, String, Option<String>);

pub fn add_milestone(
    c: &mut AnyConnection,
    project: i64,
    title: &str,
    due_on: &str,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(m::table)
        .values((m::candidate_id.eq(project), m::title.eq(title), m::due_on.eq(due_on), m::created_at.eq(now)))
        .returning(m::id)
        .get_result(c)?)
}

/// Marks a milestone done (false: no such milestone of the project, or done already).
pub fn finish_milestone(c: &mut AnyConnection, project: i64, id: i64, on: &str) -> AppResult<bool> {
    let n = diesel::update(m::table.find(id).filter(m::candidate_id.eq(project)).filter(m::done_on.is_null()))
        .set(m::done_on.eq(on))
        .execute(c)?;
    Ok(n == 1)
}

pub fn milestones(c: &mut AnyConnection, projects: &[i64]) -> AppResult<Vec<MilestoneRow>> {
    Ok(m::table
        .filter(m::candidate_id.eq_any(projects))
        .order((m::candidate_id, m::due_on, m::id))
        .select((m::id, m::candidate_id, m::title, m::due_on, m::done_on))
        .load(c)?)
}

/// (milestone, project, project title, milestone title, due on).
pub type OverdueRow = (i64, i64, String, String, String);

/// Milestones of implementing rounds past their date, not done and not reminded of on `today`:
/// (milestone, project, project title, milestone title, due on).
pub fn overdue_unreminded(c: &mut AnyConnection, today: &str, limit: i64) -> AppResult<Vec<OverdueRow>> {
    Ok(m::table
        .inner_join(pc::table.inner_join(r::table))
        .filter(r::status.eq("implementing"))
        .filter(m::done_on.is_null())
        .filter(m::due_on.lt(today))
        .filter(m::reminded_on.is_null().or(m::reminded_on.lt(today)))
        .order(m::id)
        .limit(limit)
        .select((m::id, m::candidate_id, pc::title, m::title, m::due_on))
        .load(c)?)
}

pub fn set_reminded(c: &mut AnyConnection, id: i64, today: &str) -> AppResult<()> {
    diesel::update(m::table.find(id)).set(m::reminded_on.eq(today)).execute(c)?;
    Ok(())
}

/// A progress report as filed.
pub struct NewProgress<'a> {
    pub project: i64,
    pub unit: i64,
    pub quarter: &'a str,
    pub percent: i32,
    pub spent_yuan: i64,
    pub body: &'a str,
    pub by: i64,
}

pub fn add_progress(c: &mut AnyConnection, n: &NewProgress, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(pg::table)
        .values((
            pg::candidate_id.eq(n.project),
            pg::unit_id.eq(n.unit),
            pg::quarter.eq(n.quarter),
            pg::percent.eq(n.percent),
            pg::spent_yuan.eq(n.spent_yuan),
            pg::body.eq(n.body),
            pg::created_by.eq(n.by),
            pg::created_at.eq(now),
        ))
        .returning(pg::id)
        .get_result(c)?)
}

/// (id, project, unit, quarter, percent, spent, text, at), newest first.
pub type ProgressRow = (i64, i64, i64, String, i32, i64, String, NaiveDateTime);

pub fn progress(c: &mut AnyConnection, projects: &[i64]) -> AppResult<Vec<ProgressRow>> {
    Ok(pg::table
        .filter(pg::candidate_id.eq_any(projects))
        .order((pg::candidate_id, pg::id.desc()))
        .select((
            pg::id,
            pg::candidate_id,
            pg::unit_id,
            pg::quarter,
            pg::percent,
            pg::spent_yuan,
            pg::body,
            pg::created_at,
        ))
        .load(c)?)
}

pub fn insert_photo(
    c: &mut AnyConnection,
    account: i64,
    (ct, size, sha, key): (&str, i64, &str, &str),
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(ph::table)
        .values((
            ph::account_id.eq(account),
            ph::content_type.eq(ct),
            ph::size_bytes.eq(size),
            ph::sha256.eq(sha),
            ph::storage_key.eq(key),
            ph::created_at.eq(now),
        ))
        .returning(ph::id)
        .get_result(c)?)
}

/// Names the account's unattached photos by a progress report: how many were attached.
pub fn attach_photos(c: &mut AnyConnection, account: i64, ids: &[i64], progress: i64) -> AppResult<usize> {
    Ok(diesel::update(
        ph::table.filter(ph::id.eq_any(ids)).filter(ph::account_id.eq(account)).filter(ph::progress_id.is_null()),
    )
    .set(ph::progress_id.eq(progress))
    .execute(c)?)
}

/// (photo, progress report) of the reports given.
pub fn photos_of(c: &mut AnyConnection, reports: &[i64]) -> AppResult<Vec<(i64, Option<i64>)>> {
    Ok(ph::table.filter(ph::progress_id.eq_any(reports)).order(ph::id).select((ph::id, ph::progress_id)).load(c)?)
}

/// A photo: (progress report, content type, storage key, size, sha256).
pub type PhotoRow = (Option<i64>, String, String, i64, String);

pub fn photo(c: &mut AnyConnection, id: i64) -> AppResult<Option<PhotoRow>> {
    Ok(ph::table
        .find(id)
        .select((ph::progress_id, ph::content_type, ph::storage_key, ph::size_bytes, ph::sha256))
        .first(c)
        .optional()?)
}

/// Links an event to a project (false: linked already).
pub fn link_inspection(
    c: &mut AnyConnection,
    project: i64,
    event: i64,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = crate::per_backend!(&mut *c, |x| diesel::insert_into(pi::table)
        .values((pi::candidate_id.eq(project), pi::event_id.eq(event), pi::linked_by.eq(by), pi::created_at.eq(now)))
        .on_conflict_do_nothing()
        .execute(x))?;
    Ok(n == 1)
}

/// (project, event) of the projects given.
pub fn inspections(c: &mut AnyConnection, projects: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    Ok(pi::table
        .filter(pi::candidate_id.eq_any(projects))
        .order(pi::event_id)
        .select((pi::candidate_id, pi::event_id))
        .load(c)?)
}

/// Stores a deputy's remarks on an inspection (false: they gave theirs already).
pub fn add_remark(
    c: &mut AnyConnection,
    (project, event, deputy): (i64, i64, i64),
    body: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = crate::per_backend!(&mut *c, |x| diesel::insert_into(ir::table)
        .values((
            ir::candidate_id.eq(project),
            ir::event_id.eq(event),
            ir::deputy_id.eq(deputy),
            ir::body.eq(body),
            ir::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .execute(x))?;
    Ok(n == 1)
}

/// (project, event, deputy, remarks, at).
pub type RemarkRow = (i64, i64, i64, String, NaiveDateTime);

/// The remarks on the projects given.
pub fn remarks(c: &mut AnyConnection, projects: &[i64]) -> AppResult<Vec<RemarkRow>> {
    Ok(ir::table
        .filter(ir::candidate_id.eq_any(projects))
        .order((ir::event_id, ir::created_at))
        .select((ir::candidate_id, ir::event_id, ir::deputy_id, ir::body, ir::created_at))
        .load(c)?)
}
