//! All SQL of consultations: the drafts with their articles, questions and contact points, the
//! deputies their audience reached, and (submodules) the comments and the questionnaire's answers.

pub mod answers;
pub mod comments;

use crate::db::schema::{
    consultation_articles as ar, consultation_audience as au, consultation_points as cp, consultation_questions as q,
    consultations as cs,
};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct ConsultationRow {
    pub id: i64,
    pub region_id: i64,
    pub region_path: String,
    pub title: String,
    pub kind: String,
    pub summary: String,
    pub status: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub audience: String,
    pub public: bool,
    pub anonymous: bool,
    pub attachments: String,
    pub notice_id: Option<i64>,
    pub published_at: Option<NaiveDateTime>,
    pub _reminded_at: Option<NaiveDateTime>,
    pub feedback: Option<String>,
    pub feedback_at: Option<NaiveDateTime>,
    pub _created_by: i64,
    pub created_at: NaiveDateTime,
}

pub struct NewConsultation<'a> {
    pub congress: (i64, &'a str),
    pub title: &'a str,
    pub kind: &'a str,
    pub summary: &'a str,
    pub window: (NaiveDateTime, NaiveDateTime),
    pub audience: &'a str,
    pub public: bool,
    pub anonymous: bool,
    pub attachments: &'a str,
    pub by: i64,
}

pub fn insert(c: &mut AnyConnection, n: &NewConsultation, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(cs::table)
        .values((
            cs::region_id.eq(n.congress.0),
            cs::region_path.eq(n.congress.1),
            cs::title.eq(n.title),
            cs::kind.eq(n.kind),
            cs::summary.eq(n.summary),
            cs::status.eq("draft"),
            cs::opens_at.eq(n.window.0),
            cs::closes_at.eq(n.window.1),
            cs::audience.eq(n.audience),
            cs::public.eq(n.public),
            cs::anonymous.eq(n.anonymous),
            cs::attachments.eq(n.attachments),
            cs::created_by.eq(n.by),
            cs::created_at.eq(now),
        ))
        .returning(cs::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<ConsultationRow>> {
    Ok(cs::table.find(id).first(c).optional()?)
}

/// Consultations whose congress lies in `scope` (a path prefix), newest first.
pub fn in_scope(c: &mut AnyConnection, scope: &str, limit: i64) -> AppResult<Vec<ConsultationRow>> {
    Ok(cs::table.filter(cs::region_path.like(format!("{scope}%"))).order(cs::id.desc()).limit(limit).load(c)?)
}

/// Published consultations whose audience reached the deputy, newest first.
pub fn for_deputy(c: &mut AnyConnection, deputy: i64, limit: i64) -> AppResult<Vec<ConsultationRow>> {
    Ok(cs::table
        .inner_join(au::table.on(au::consultation_id.eq(cs::id)))
        .filter(au::deputy_id.eq(deputy))
        .select(cs::all_columns)
        .order(cs::id.desc())
        .limit(limit)
        .load(c)?)
}

/// Published public consultations of the congresses at `paths`, newest first.
pub fn public_of(c: &mut AnyConnection, paths: &[String], limit: i64) -> AppResult<Vec<ConsultationRow>> {
    Ok(cs::table
        .filter(cs::region_path.eq_any(paths))
        .filter(cs::public.eq(true))
        .filter(cs::status.eq("published"))
        .order(cs::id.desc())
        .limit(limit)
        .load(c)?)
}

/// Marks a draft published with its notice; false when it was not a draft any more.
pub fn mark_published(c: &mut AnyConnection, id: i64, notice: i64, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(cs::table.filter(cs::id.eq(id)).filter(cs::status.eq("draft")))
        .set((cs::status.eq("published"), cs::notice_id.eq(notice), cs::published_at.eq(now)))
        .execute(c)?;
    Ok(n == 1)
}

/// Published consultations closing in [now, before) not yet reminded.
pub fn to_remind(c: &mut AnyConnection, now: NaiveDateTime, before: NaiveDateTime) -> AppResult<Vec<ConsultationRow>> {
    Ok(cs::table
        .filter(cs::status.eq("published"))
        .filter(cs::reminded_at.is_null())
        .filter(cs::opens_at.le(now))
        .filter(cs::closes_at.gt(now))
        .filter(cs::closes_at.le(before))
        .limit(100)
        .load(c)?)
}

pub fn mark_reminded(c: &mut AnyConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(cs::table.find(id)).set(cs::reminded_at.eq(now)).execute(c)?;
    Ok(())
}

/// Publishes the feedback report's summary; false when it already was.
pub fn set_feedback(c: &mut AnyConnection, id: i64, summary: &str, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(cs::table.filter(cs::id.eq(id)).filter(cs::feedback_at.is_null()))
        .set((cs::feedback.eq(summary), cs::feedback_at.eq(now)))
        .execute(c)?;
    Ok(n == 1)
}

/// (number, heading, body) of each article, in order.
pub fn articles(c: &mut AnyConnection, id: i64) -> AppResult<Vec<(i32, String, String)>> {
    Ok(ar::table
        .filter(ar::consultation_id.eq(id))
        .order(ar::number)
        .select((ar::number, ar::heading, ar::body))
        .load(c)?)
}

/// Replaces the articles.
pub fn put_articles(c: &mut AnyConnection, id: i64, list: &[(i32, &str, &str)]) -> AppResult<()> {
    diesel::delete(ar::table.filter(ar::consultation_id.eq(id))).execute(c)?;
    for chunk in list.chunks(200) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(n, h, b)| (ar::consultation_id.eq(id), ar::number.eq(*n), ar::heading.eq(*h), ar::body.eq(*b)))
            .collect();
        crate::per_backend!(&mut *c, |x| diesel::insert_into(ar::table).values(&rows).execute(x))?;
    }
    Ok(())
}

/// (number, kind, text, options JSON, required) of each question, in order.
pub type QuestionRow = (i32, String, String, String, bool);

pub fn questions(c: &mut AnyConnection, id: i64) -> AppResult<Vec<QuestionRow>> {
    Ok(q::table
        .filter(q::consultation_id.eq(id))
        .order(q::number)
        .select((q::number, q::kind, q::text, q::options, q::required))
        .load(c)?)
}

pub fn insert_question(c: &mut AnyConnection, id: i64, row: (i32, &str, &str, &str, bool)) -> AppResult<()> {
    diesel::insert_into(q::table)
        .values((
            q::consultation_id.eq(id),
            q::number.eq(row.0),
            q::kind.eq(row.1),
            q::text.eq(row.2),
            q::options.eq(row.3),
            q::required.eq(row.4),
        ))
        .execute(c)?;
    Ok(())
}

pub fn put_points(c: &mut AnyConnection, id: i64, stations: &[i64]) -> AppResult<()> {
    let rows: Vec<_> = stations.iter().map(|s| (cp::consultation_id.eq(id), cp::station_id.eq(*s))).collect();
    crate::per_backend!(&mut *c, |x| diesel::insert_into(cp::table).values(&rows).execute(x))?;
    Ok(())
}

pub fn points(c: &mut AnyConnection, id: i64) -> AppResult<Vec<i64>> {
    Ok(cp::table.filter(cp::consultation_id.eq(id)).order(cp::station_id).select(cp::station_id).load(c)?)
}

/// Keeps the deputies the audience reached, in chunks.
pub fn fill_audience(c: &mut AnyConnection, id: i64, deputies: &[i64]) -> AppResult<()> {
    for chunk in deputies.chunks(1000) {
        let rows: Vec<_> = chunk.iter().map(|d| (au::consultation_id.eq(id), au::deputy_id.eq(*d))).collect();
        crate::per_backend!(&mut *c, |x| diesel::insert_into(au::table).values(&rows).execute(x))?;
    }
    Ok(())
}

pub fn reached(c: &mut AnyConnection, id: i64, deputy: i64) -> AppResult<bool> {
    let n: i64 = au::table.filter(au::consultation_id.eq(id)).filter(au::deputy_id.eq(deputy)).count().get_result(c)?;
    Ok(n > 0)
}

pub fn audience_size(c: &mut AnyConnection, id: i64) -> AppResult<i64> {
    Ok(au::table.filter(au::consultation_id.eq(id)).count().get_result(c)?)
}

/// The deputies reached, in order.
pub fn audience(c: &mut AnyConnection, id: i64) -> AppResult<Vec<i64>> {
    Ok(au::table.filter(au::consultation_id.eq(id)).order(au::deputy_id).select(au::deputy_id).load(c)?)
}

/// Published consultations with one of `stations` as a contact point, newest first.
pub fn at_points(c: &mut AnyConnection, stations: &[i64], limit: i64) -> AppResult<Vec<ConsultationRow>> {
    Ok(cs::table
        .inner_join(cp::table.on(cp::consultation_id.eq(cs::id)))
        .filter(cp::station_id.eq_any(stations))
        .filter(cs::status.eq("published"))
        .select(cs::all_columns)
        .distinct()
        .order(cs::id.desc())
        .limit(limit)
        .load(c)?)
}
