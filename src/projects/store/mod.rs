//! All SQL of the livelihood-project rounds and their candidates; the votes' SQL is in
//! [`votes`].

pub(in crate::projects) mod ratings;
pub(in crate::projects) mod votes;
pub(in crate::projects) mod works;

use crate::db::schema::{project_candidates as pc, project_rounds as r};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct RoundRow {
    pub id: i64,
    pub region_id: i64,
    pub region_path: String,
    pub year: i32,
    pub title: String,
    pub status: String,
    pub event_id: Option<i64>,
    pub adopt_count: i32,
    pub max_approvals: i32,
    pub adoption_rule: String,
    pub seated: i32,
    pub result: Option<String>,
    pub digest: Option<String>,
    pub version: i64,
    pub _created_by: i64,
    pub created_at: NaiveDateTime,
    pub _updated_at: NaiveDateTime,
    /// The year-end assessment is open for ratings.
    pub assessing: bool,
    /// The published assessment (JSON), once assessed.
    pub assessment: Option<String>,
}

#[derive(Debug, Clone, Queryable)]
pub struct CandidateRow {
    pub id: i64,
    pub round_id: i64,
    pub title: String,
    pub description: String,
    pub location: String,
    pub budget_yuan: i64,
    pub lead_unit_id: Option<i64>,
    pub timeline: String,
    pub sources: String,
    pub proposed_by_deputy: Option<i64>,
    pub _proposed_by: i64,
    pub on_ballot: bool,
    pub created_at: NaiveDateTime,
    /// Adopted by the vote (set at closing), with its rank and approvals.
    pub adopted: bool,
    pub rank: Option<i32>,
    pub approvals: Option<i64>,
}

/// A candidate as stored.
pub struct NewCandidate<'a> {
    pub round: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub budget_yuan: i64,
    pub lead_unit: Option<i64>,
    pub timeline: &'a str,
    pub sources: &'a str,
    pub deputy: Option<i64>,
    pub by: i64,
}

pub fn insert_round(
    c: &mut AnyConnection,
    (region, path): (i64, &str),
    year: i32,
    title: &str,
    by: i64,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(r::table)
        .values((
            r::region_id.eq(region),
            r::region_path.eq(path),
            r::year.eq(year),
            r::title.eq(title),
            r::status.eq("collecting"),
            r::created_by.eq(by),
            r::created_at.eq(now),
            r::updated_at.eq(now),
        ))
        .returning(r::id)
        .get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<RoundRow>> {
    Ok(r::table.find(id).first(c).optional()?)
}

/// Rounds of the congresses under `like` (a subtree pattern), of a year if given.
pub fn list(c: &mut AnyConnection, like: &str, year: Option<i32>) -> AppResult<Vec<RoundRow>> {
    let mut q = r::table.filter(r::region_path.like(like)).into_boxed();
    if let Some(y) = year {
        q = q.filter(r::year.eq(y));
    }
    Ok(q.order(r::id.desc()).limit(200).load(c)?)
}

/// Moves a round from `from` to `to` (false: it was not in `from` any more).
pub fn step(c: &mut AnyConnection, id: i64, from: &str, to: &str, now: NaiveDateTime) -> AppResult<bool> {
    let n = diesel::update(r::table.find(id).filter(r::status.eq(from)))
        .set((r::status.eq(to), r::version.eq(r::version + 1), r::updated_at.eq(now)))
        .execute(c)?;
    Ok(n == 1)
}

/// The ballot's settings, while screening.
pub fn set_ballot(c: &mut AnyConnection, id: i64, (adopt, max, rule): (i32, i32, &str), on: &[i64]) -> AppResult<()> {
    diesel::update(r::table.find(id))
        .set((
            r::adopt_count.eq(adopt),
            r::max_approvals.eq(max),
            r::adoption_rule.eq(rule),
            r::version.eq(r::version + 1),
        ))
        .execute(c)?;
    diesel::update(pc::table.filter(pc::round_id.eq(id))).set(pc::on_ballot.eq(false)).execute(c)?;
    diesel::update(pc::table.filter(pc::round_id.eq(id)).filter(pc::id.eq_any(on)))
        .set(pc::on_ballot.eq(true))
        .execute(c)?;
    Ok(())
}

/// The session and the seated count frozen when the vote opens.
pub fn set_opened(c: &mut AnyConnection, id: i64, event: Option<i64>, seated: i32) -> AppResult<()> {
    diesel::update(r::table.find(id)).set((r::event_id.eq(event), r::seated.eq(seated))).execute(c)?;
    Ok(())
}

/// The vote's outcome on the candidates: (candidate, rank, approvals, adopted).
pub fn set_outcomes(c: &mut AnyConnection, outcomes: &[(i64, i32, i64, bool)]) -> AppResult<()> {
    for (id, rank, approvals, adopted) in outcomes {
        diesel::update(pc::table.find(id))
            .set((pc::rank.eq(rank), pc::approvals.eq(approvals), pc::adopted.eq(adopted)))
            .execute(c)?;
    }
    Ok(())
}

/// The adopted projects of a round, by rank.
pub fn adopted(c: &mut AnyConnection, round: i64) -> AppResult<Vec<CandidateRow>> {
    Ok(pc::table.filter(pc::round_id.eq(round)).filter(pc::adopted.eq(true)).order(pc::rank).load(c)?)
}

pub fn candidate(c: &mut AnyConnection, id: i64) -> AppResult<Option<CandidateRow>> {
    Ok(pc::table.find(id).first(c).optional()?)
}

/// Rounds past the vote (closed, implementing or assessed) whose congress is one of `paths`,
/// or under `like`, newest first.
pub fn decided(
    c: &mut AnyConnection,
    paths: &[String],
    like: Option<&str>,
    year: Option<i32>,
) -> AppResult<Vec<RoundRow>> {
    let mut q = r::table.filter(r::status.eq_any(["closed", "implementing", "assessed"])).into_boxed();
    q = match like {
        Some(l) => q.filter(r::region_path.like(l.to_string())),
        None => q.filter(r::region_path.eq_any(paths.to_vec())),
    };
    if let Some(y) = year {
        q = q.filter(r::year.eq(y));
    }
    Ok(q.order((r::year.desc(), r::id.desc())).limit(50).load(c)?)
}

/// Opens or closes the assessment, and the published assessment once closed.
pub fn set_assessing(c: &mut AnyConnection, id: i64, open: bool, published: Option<&str>) -> AppResult<()> {
    diesel::update(r::table.find(id))
        .set((r::assessing.eq(open), r::assessment.eq(published), r::version.eq(r::version + 1)))
        .execute(c)?;
    Ok(())
}

/// The published tally and its digest.
pub fn set_result(c: &mut AnyConnection, id: i64, result: &str, digest: &str) -> AppResult<()> {
    diesel::update(r::table.find(id)).set((r::result.eq(result), r::digest.eq(digest))).execute(c)?;
    Ok(())
}

pub fn insert_candidate(c: &mut AnyConnection, n: &NewCandidate, now: NaiveDateTime) -> AppResult<i64> {
    Ok(diesel::insert_into(pc::table)
        .values((
            pc::round_id.eq(n.round),
            pc::title.eq(n.title),
            pc::description.eq(n.description),
            pc::location.eq(n.location),
            pc::budget_yuan.eq(n.budget_yuan),
            pc::lead_unit_id.eq(n.lead_unit),
            pc::timeline.eq(n.timeline),
            pc::sources.eq(n.sources),
            pc::proposed_by_deputy.eq(n.deputy),
            pc::proposed_by.eq(n.by),
            pc::created_at.eq(now),
        ))
        .returning(pc::id)
        .get_result(c)?)
}

pub fn candidates(c: &mut AnyConnection, round: i64) -> AppResult<Vec<CandidateRow>> {
    Ok(pc::table.filter(pc::round_id.eq(round)).order(pc::id).load(c)?)
}

/// The candidates on the ballot, in order.
pub fn on_ballot(c: &mut AnyConnection, round: i64) -> AppResult<Vec<CandidateRow>> {
    Ok(pc::table.filter(pc::round_id.eq(round)).filter(pc::on_ballot.eq(true)).order(pc::id).load(c)?)
}
