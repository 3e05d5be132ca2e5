//! SQL of the questionnaire's answers: who took part (a row apart, with no time) and the answers
//! under a random key (with the respondent only when the survey is not anonymous).

use crate::db::schema::{consultation_answers as a, consultation_held_answers as h, consultation_participation as pt};
use crate::db::AnyConnection;
use crate::error::AppResult;
use diesel::prelude::*;

/// Records that `respondent` took part; false when they already had (the row's key decides
/// between two first answers sent at once).
pub fn take_part(c: &mut AnyConnection, id: i64, respondent: &str) -> AppResult<bool> {
    let row = (pt::consultation_id.eq(id), pt::respondent.eq(respondent));
    let n = crate::per_backend!(c, |x| diesel::insert_into(pt::table).values(row).on_conflict_do_nothing().execute(x))?;
    Ok(n == 1)
}

pub fn took_part(c: &mut AnyConnection, id: i64, respondent: &str) -> AppResult<bool> {
    let n: i64 =
        pt::table.filter(pt::consultation_id.eq(id)).filter(pt::respondent.eq(respondent)).count().get_result(c)?;
    Ok(n > 0)
}

/// Which of the consultations `ids` the respondent took part in.
pub fn answered_among(
    c: &mut AnyConnection,
    respondent: &str,
    ids: &[i64],
) -> AppResult<std::collections::HashSet<i64>> {
    let found: Vec<i64> = pt::table
        .filter(pt::respondent.eq(respondent))
        .filter(pt::consultation_id.eq_any(ids))
        .select(pt::consultation_id)
        .load(c)?;
    Ok(found.into_iter().collect())
}

/// Everyone who took part (respondent keys).
pub fn participants(c: &mut AnyConnection, id: i64) -> AppResult<Vec<String>> {
    Ok(pt::table.filter(pt::consultation_id.eq(id)).select(pt::respondent).load(c)?)
}

pub fn participant_count(c: &mut AnyConnection, id: i64) -> AppResult<i64> {
    Ok(pt::table.filter(pt::consultation_id.eq(id)).count().get_result(c)?)
}

/// A kept answer: the random key, the respondent (none when anonymous), the level and region
/// it is counted under, the answers' JSON.
pub struct NewAnswer<'a> {
    pub key: &'a str,
    pub respondent: Option<&'a str>,
    pub level: &'a str,
    pub region_path: Option<&'a str>,
    pub answers: &'a str,
}

pub fn insert(c: &mut AnyConnection, id: i64, n: &NewAnswer) -> AppResult<()> {
    diesel::insert_into(a::table)
        .values((
            a::id.eq(n.key),
            a::consultation_id.eq(id),
            a::respondent.eq(n.respondent),
            a::level.eq(n.level),
            a::region_path.eq(n.region_path),
            a::answers.eq(n.answers),
        ))
        .execute(c)?;
    Ok(())
}

/// Replaces a named respondent's answers.
pub fn replace(c: &mut AnyConnection, id: i64, respondent: &str, answers: &str) -> AppResult<bool> {
    let n = diesel::update(a::table.filter(a::consultation_id.eq(id)).filter(a::respondent.eq(respondent)))
        .set(a::answers.eq(answers))
        .execute(c)?;
    Ok(n == 1)
}

/// A named respondent's answers.
pub fn of(c: &mut AnyConnection, id: i64, respondent: &str) -> AppResult<Option<String>> {
    Ok(a::table
        .filter(a::consultation_id.eq(id))
        .filter(a::respondent.eq(respondent))
        .select(a::answers)
        .first(c)
        .optional()?)
}

/// (level, region path, answers JSON) of every answer.
pub fn all(c: &mut AnyConnection, id: i64) -> AppResult<Vec<(String, Option<String>, String)>> {
    Ok(a::table.filter(a::consultation_id.eq(id)).select((a::level, a::region_path, a::answers)).load(c)?)
}

/// Holds an anonymous answer (sealed) until its batch is settled.
pub fn hold(c: &mut AnyConnection, id: i64, sealed: &str) -> AppResult<()> {
    diesel::insert_into(h::table).values((h::consultation_id.eq(id), h::sealed.eq(sealed))).execute(c)?;
    Ok(())
}

/// (row id, sealed value) of every held answer of a consultation.
pub fn held(c: &mut AnyConnection, id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(h::table.filter(h::consultation_id.eq(id)).select((h::id, h::sealed)).load(c)?)
}

pub fn held_count(c: &mut AnyConnection, id: i64) -> AppResult<i64> {
    Ok(h::table.filter(h::consultation_id.eq(id)).count().get_result(c)?)
}

/// Consultations with held answers (for the settling at the close).
pub fn holding(c: &mut AnyConnection) -> AppResult<Vec<i64>> {
    Ok(h::table.select(h::consultation_id).distinct().load(c)?)
}

pub fn drop_held(c: &mut AnyConnection, ids: &[i64]) -> AppResult<()> {
    diesel::delete(h::table.filter(h::id.eq_any(ids))).execute(c)?;
    Ok(())
}
