//! Routes: closing the vote — the held ballots opened, shuffled and settled, counted with the
//! approved paper tallies, and the tally published with its SHA-256 — and the published result,
//! for the congress and for everyone.

use super::rounds::take;
use super::scope::{kept, readable};
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::projects::model::{PaperCount, Published};
use crate::projects::rules::{self, Ballot, Candidate, Count, Tally};
use crate::projects::store::{self, votes, RoundRow};
use crate::state::AppState;
use actix_web::{get, post, web};
use chrono::NaiveDateTime;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;

use crate::platform::pii::field::PROJECT_BALLOT as SEALED;

#[derive(serde::Deserialize)]
struct Held {
    receipt: String,
    choices: BTreeMap<String, String>,
}

/// The approved paper tallies summed per candidate, and their ballots.
fn paper(c: &mut AnyConnection, round: i64) -> AppResult<(Vec<Count>, i64)> {
    let mut sums: BTreeMap<i64, Count> = BTreeMap::new();
    let mut ballots = 0;
    for t in votes::tallies(c, round, "approved")? {
        ballots += i64::from(t.2);
        let counts: Vec<PaperCount> = serde_json::from_str(&t.3).map_err(AppError::internal)?;
        for x in counts {
            let s = sums.entry(x.candidate_id).or_insert(Count { candidate_id: x.candidate_id, ..Default::default() });
            (s.approve, s.oppose, s.abstain) = (s.approve + x.approve, s.oppose + x.oppose, s.abstain + x.abstain);
        }
    }
    Ok((sums.into_values().collect(), ballots))
}

/// Opens sealed ballots (or rating sheets) and shuffles them: (receipt, choices JSON), in no
/// order of casting.
pub(super) fn unseal_shuffled(pii: &crate::platform::pii::Pii, held: Vec<String>) -> AppResult<Vec<(String, String)>> {
    let mut rows = vec![];
    for sealed in held {
        let h: Held = serde_json::from_str(&pii.open(SEALED, &sealed)?).map_err(AppError::internal)?;
        rows.push((h.receipt, serde_json::to_string(&h.choices).map_err(AppError::internal)?));
    }
    rows.shuffle(&mut rand::rng());
    Ok(rows)
}

/// Settled rows (receipt, choices JSON) as published ballots.
pub(super) fn as_ballots(rows: Vec<(String, String)>) -> AppResult<Vec<Ballot>> {
    rows.into_iter()
        .map(|(receipt, choices)| {
            Ok(Ballot { receipt, choices: serde_json::from_str(&choices).map_err(AppError::internal)? })
        })
        .collect()
}

/// Counts the round's settled ballots with its approved paper tallies, marks the candidates'
/// outcomes, and stores the tally with its SHA-256: what closing publishes (the demo seeder's
/// rounds are published the same way).
pub(in crate::projects) fn publish(c: &mut AnyConnection, r: &RoundRow, now: NaiveDateTime) -> AppResult<Published> {
    let ballots = as_ballots(votes::ballots(c, r.id)?)?;
    let candidates: Vec<Candidate> =
        store::on_ballot(c, r.id)?.into_iter().map(|x| Candidate { id: x.id, title: x.title }).collect();
    let (paper, paper_ballots) = paper(c, r.id)?;
    let basis = (r.adoption_rule.as_str(), i64::from(r.seated), i64::from(r.adopt_count));
    let results = rules::count(&candidates, &ballots, &paper, paper_ballots, basis);
    let outcomes: Vec<_> = results.iter().map(|o| (o.candidate_id, o.rank as i32, o.approve, o.adopted)).collect();
    store::set_outcomes(c, &outcomes)?;
    let tally = Tally {
        round_id: r.id,
        region_path: r.region_path.clone(),
        year: r.year,
        title: r.title.clone(),
        adoption_rule: r.adoption_rule.clone(),
        seated: i64::from(r.seated),
        adopt_count: i64::from(r.adopt_count),
        candidates,
        ballots,
        paper_ballots,
        paper,
        results,
    };
    let out = Published { digest: rules::digest(&tally), tally };
    store::set_result(c, r.id, &serde_json::to_string(&out).map_err(AppError::internal)?, &out.digest)?;
    let d = crate::feed::data::VoteResultPublished {
        round_id: r.id,
        year: r.year,
        title: r.title.clone(),
        candidates: out.tally.candidates.len() as i64,
        adopted: out.tally.results.iter().filter(|o| o.adopted).count() as i64,
        digest: out.digest.clone(),
    };
    crate::feed::emit(c, &[crate::feed::Event::vote_result(&d, &r.region_path, now)])?;
    Ok(out)
}

fn published(r: &RoundRow) -> AppResult<Published> {
    let text = r.result.as_deref().ok_or_else(|| AppError::conflict(Code::VotingClosed, "the vote has not closed"))?;
    serde_json::from_str(text).map_err(AppError::internal)
}

/// Close the vote and publish the tally: every ballot (receipt and choices, in no order of
/// casting), the approved paper tallies, the results ranked by approvals, and the SHA-256 of
/// it all (staff; 409 `tallies_pending` while a paper tally awaits approval).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = Published), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/close")]
pub async fn close(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<Published>> {
    let (id, now, pii) = (id.into_inner(), state.now(), state.pii.clone());
    let out = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        if !votes::tallies(c, id, "proposed")?.is_empty() {
            return Err(AppError::conflict(Code::TalliesPending, "a paper tally awaits approval"));
        }
        take(c, &p, &r, "close", now)?;
        // The held ballots opened and written in shuffled order, then counted.
        let rows = unseal_shuffled(&pii, votes::held(c, id)?)?;
        votes::settle(c, id, &rows)?;
        publish(c, &r, now)
    })
    .await?;
    Ok(web::Json(out))
}

/// The published tally of a closed vote (the congress's deputies and staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = Published), (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "voting_closed: not closed yet"), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/project-rounds/{id}/result")]
pub async fn result(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<Published>> {
    let id = id.into_inner();
    let out = db::run(&state.db, move |c| published(&readable(c, &p, id)?)).await?;
    Ok(web::Json(out))
}

/// The published tally of a closed vote, for anyone to download and recount (`lvzhi
/// verify-tally FILE`).
#[utoipa::path(tag = "public", params(("id" = i64, Path)), responses((status = 200, body = Published), ReadErrors))]
#[get("/api/v1/public/project-rounds/{id}/result")]
pub async fn public_result(state: web::Data<AppState>, id: web::Path<i64>) -> AppResult<web::Json<Published>> {
    let id = id.into_inner();
    let out = db::run(&state.db, move |c| {
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        if r.result.is_none() {
            return Err(AppError::not_found());
        }
        published(&r)
    })
    .await?;
    Ok(web::Json(out))
}
