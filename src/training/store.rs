//! All SQL of courses, their questions, and the deputies' opens, attempts and completions.

use crate::db::schema::{
    course_attempts as a, course_completions as k, course_opens as o, course_questions as q, courses as cs,
};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Queryable)]
pub struct CourseRow {
    pub id: i64,
    pub region_id: i64,
    pub region_path: String,
    pub term: i32,
    pub title: String,
    pub kind: String,
    pub event_id: Option<i64>,
    pub materials: String,
    pub min_seconds: i32,
    pub pass_mark: i32,
    pub max_attempts: i32,
    pub closes_on: String,
    pub initial: bool,
    pub _created_by: i64,
    pub created_at: NaiveDateTime,
}

pub struct NewCourse<'a> {
    pub congress: (i64, &'a str),
    pub term: i32,
    pub title: &'a str,
    pub kind: &'a str,
    pub event_id: Option<i64>,
    /// JSON array of materials.
    pub materials: &'a str,
    pub min_seconds: i32,
    pub pass_mark: i32,
    pub max_attempts: i32,
    pub closes_on: &'a str,
    pub initial: bool,
    pub by: i64,
}

pub fn insert(c: &mut AnyConnection, n: &NewCourse, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(cs::table)
        .values((
            cs::region_id.eq(n.congress.0),
            cs::region_path.eq(n.congress.1),
            cs::term.eq(n.term),
            cs::title.eq(n.title),
            cs::kind.eq(n.kind),
            cs::event_id.eq(n.event_id),
            cs::materials.eq(n.materials),
            cs::min_seconds.eq(n.min_seconds),
            cs::pass_mark.eq(n.pass_mark),
            cs::max_attempts.eq(n.max_attempts),
            cs::closes_on.eq(n.closes_on),
            cs::initial.eq(n.initial),
            cs::created_by.eq(n.by),
            cs::created_at.eq(now),
        ))
        .returning(cs::id)
        .get_result(c)?)
}

/// Adds a question; `options` and `answer` are JSON arrays.
pub fn insert_question(
    c: &mut AnyConnection,
    course: i64,
    position: i32,
    (kind, text): (&str, &str),
    (options, answer): (&str, &str),
) -> AppResult<()> {
    diesel::insert_into(q::table)
        .values((
            q::course_id.eq(course),
            q::position.eq(position),
            q::kind.eq(kind),
            q::text.eq(text),
            q::options.eq(options),
            q::answer.eq(answer),
        ))
        .execute(c)?;
    Ok(())
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<CourseRow>> {
    Ok(cs::table.find(id).first(c).optional()?)
}

/// Courses whose congress path is one of `paths`, or lies under `under`; newest first.
pub fn list(
    c: &mut AnyConnection,
    paths: &[String],
    under: Option<&str>,
    term: Option<i32>,
) -> AppResult<Vec<CourseRow>> {
    let mut query = cs::table.into_boxed();
    query = match under {
        Some(u) => query.filter(cs::region_path.like(crate::org::subtree_like(u))),
        None => query.filter(cs::region_path.eq_any(paths.to_vec())),
    };
    if let Some(t) = term {
        query = query.filter(cs::term.eq(t));
    }
    Ok(query.order(cs::id.desc()).limit(500).load(c)?)
}

/// (kind, text, options JSON, answer JSON) of a course's questions in order.
pub fn questions(c: &mut AnyConnection, course: i64) -> AppResult<Vec<(String, String, String, String)>> {
    Ok(q::table
        .filter(q::course_id.eq(course))
        .order(q::position)
        .select((q::kind, q::text, q::options, q::answer))
        .load(c)?)
}

/// Notes the first opening of a material (a later one changes nothing).
pub fn open(c: &mut AnyConnection, course: i64, deputy: i64, material: i32, now: NaiveDateTime) -> AppResult<()> {
    let row = (o::course_id.eq(course), o::deputy_id.eq(deputy), o::material.eq(material), o::opened_at.eq(now));
    crate::per_backend!(c, |c| diesel::insert_into(o::table).values(row).on_conflict_do_nothing().execute(c))?;
    Ok(())
}

/// When the deputy first opened each material of the course, by index.
pub fn opens(c: &mut AnyConnection, course: i64, deputy: i64) -> AppResult<HashMap<i32, NaiveDateTime>> {
    let rows: Vec<(i32, NaiveDateTime)> = o::table
        .filter(o::course_id.eq(course))
        .filter(o::deputy_id.eq(deputy))
        .select((o::material, o::opened_at))
        .load(c)?;
    Ok(rows.into_iter().collect())
}

/// (attempt, score, passed) of the deputy's attempts, in order.
pub fn attempts(c: &mut AnyConnection, course: i64, deputy: i64) -> AppResult<Vec<(i32, i32, bool, String)>> {
    Ok(a::table
        .filter(a::course_id.eq(course))
        .filter(a::deputy_id.eq(deputy))
        .order(a::attempt)
        .select((a::attempt, a::score, a::passed, a::answers))
        .load(c)?)
}

/// Stores an attempt unless that number is stored already (answers whether it was).
pub fn add_attempt(
    c: &mut AnyConnection,
    (course, deputy, attempt): (i64, i64, i32),
    (answers, score, passed): (&str, i32, bool),
    now: NaiveDateTime,
) -> AppResult<bool> {
    let row = (
        a::course_id.eq(course),
        a::deputy_id.eq(deputy),
        a::attempt.eq(attempt),
        a::answers.eq(answers),
        a::score.eq(score),
        a::passed.eq(passed),
        a::created_at.eq(now),
    );
    let n = crate::per_backend!(c, |c| diesel::insert_into(a::table)
        .values(row)
        .on_conflict((a::course_id, a::deputy_id, a::attempt))
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

/// Records the completion once (answers whether it is new).
pub fn complete(c: &mut AnyConnection, course: i64, deputy: i64, now: NaiveDateTime) -> AppResult<bool> {
    let row = (k::course_id.eq(course), k::deputy_id.eq(deputy), k::completed_at.eq(now));
    let n = crate::per_backend!(c, |c| diesel::insert_into(k::table).values(row).on_conflict_do_nothing().execute(c))?;
    Ok(n == 1)
}

pub fn completed_at(c: &mut AnyConnection, course: i64, deputy: i64) -> AppResult<Option<NaiveDateTime>> {
    Ok(k::table.find((course, deputy)).select(k::completed_at).first(c).optional()?)
}

/// A course's records: deputy → (materials opened, attempts, best score, completed at).
pub type Records = HashMap<i64, (i64, i64, Option<i32>, Option<NaiveDateTime>)>;

pub fn records(c: &mut AnyConnection, course: i64) -> AppResult<Records> {
    use diesel::dsl::{count_star, max};
    let mut out: Records = HashMap::new();
    let opened: Vec<(i64, i64)> =
        o::table.filter(o::course_id.eq(course)).group_by(o::deputy_id).select((o::deputy_id, count_star())).load(c)?;
    for (d, n) in opened {
        out.entry(d).or_default().0 = n;
    }
    let tries: Vec<(i64, i64, Option<i32>)> = a::table
        .filter(a::course_id.eq(course))
        .group_by(a::deputy_id)
        .select((a::deputy_id, count_star(), max(a::score)))
        .load(c)?;
    for (d, n, best) in tries {
        let e = out.entry(d).or_default();
        (e.1, e.2) = (n, best);
    }
    let done: Vec<(i64, NaiveDateTime)> =
        k::table.filter(k::course_id.eq(course)).select((k::deputy_id, k::completed_at)).load(c)?;
    for (d, at) in done {
        out.entry(d).or_default().3 = Some(at);
    }
    Ok(out)
}

/// Deputies who completed a course of a congress under `path` in [from, to).
pub fn completed_between(
    c: &mut AnyConnection,
    path: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<HashSet<i64>> {
    let rows: Vec<i64> = k::table
        .inner_join(cs::table.on(cs::id.eq(k::course_id)))
        .filter(cs::region_path.like(crate::org::subtree_like(path)))
        .filter(k::completed_at.ge(from))
        .filter(k::completed_at.lt(to))
        .select(k::deputy_id)
        .distinct()
        .load(c)?;
    Ok(rows.into_iter().collect())
}

/// When each deputy first completed an initial course (初任培训) of a congress under `path`.
pub fn completed_initial(c: &mut AnyConnection, path: &str) -> AppResult<HashMap<i64, NaiveDateTime>> {
    use diesel::dsl::min;
    let rows: Vec<(i64, Option<NaiveDateTime>)> = k::table
        .inner_join(cs::table.on(cs::id.eq(k::course_id)))
        .filter(cs::region_path.like(crate::org::subtree_like(path)))
        .filter(cs::initial.eq(true))
        .group_by(k::deputy_id)
        .select((k::deputy_id, min(k::completed_at)))
        .load(c)?;
    Ok(rows.into_iter().filter_map(|(d, t)| t.map(|t| (d, t))).collect())
}
