//! Routes: the ballot a deputy sees, the vote (seated in the congress and checked in to the
//! session, once, the choices checked against the ballot; answered with a receipt the server
//! does not keep with the deputy), and the deputies who voted on paper (staff).

use super::scope::{kept, readable, voter};
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::projects::model::{candidate_view, BallotView, PaperVoters, PaperVotersRecorded, VoteCreate, VoteReceipt};
use crate::projects::rules::{self, BallotError};
use crate::projects::store::{self, votes};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use rand::Rng;

use crate::platform::pii::field::PROJECT_BALLOT as SEALED;

/// The ballot: its candidates, the most approvals allowed, and whether the caller has voted
/// (the congress's seated deputies, and staff in scope).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = BallotView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/project-rounds/{id}/ballot")]
pub async fn ballot(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<BallotView>> {
    let id = id.into_inner();
    let v = db::run(&state.db, move |c| {
        let r = readable(c, &p, id)?;
        let voted = match p.deputy_id {
            Some(d) => votes::has_voted(c, id, d)?,
            None => false,
        };
        let candidates = store::on_ballot(c, id)?.into_iter().map(candidate_view).collect();
        Ok(BallotView {
            round_id: id,
            title: r.title,
            status: r.status,
            max_approvals: r.max_approvals,
            candidates,
            voted,
        })
    })
    .await?;
    Ok(web::Json(v))
}

/// Vote: approve, oppose or abstain on every candidate of the ballot, once (a deputy seated in
/// the congress and checked in to the session: 403 `not_present` otherwise; 409
/// `already_voted`, 409 `voting_closed`, 422 `too_many_approvals`). The receipt finds the ballot
/// in the published tally; the server keeps it only inside the sealed ballot.
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = VoteCreate, responses((status = 201, body = VoteReceipt), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/votes")]
pub async fn vote(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<VoteCreate>,
) -> AppResult<HttpResponse> {
    let (choices, id, now) = (body.into_inner().choices, id.into_inner(), state.now());
    let receipt = hex::encode(rand::rng().random::<[u8; 16]>());
    let pii = state.pii.clone();
    let answer = VoteReceipt { receipt: receipt.clone() };
    db::tx(&state.db, move |c| {
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        let deputy = voter(c, &p, &r)?;
        if r.status != "voting" {
            return Err(AppError::conflict(Code::VotingClosed, "the vote is not open"));
        }
        let present = match r.event_id {
            Some(e) => crate::checkins::checked_in_to(c, e, deputy)?,
            None => false,
        };
        if !present {
            return Err(AppError::forbidden(Code::NotPresent, "check in to the session first"));
        }
        let on: Vec<i64> = store::on_ballot(c, id)?.iter().map(|x| x.id).collect();
        match rules::check_choices(&choices, &on, r.max_approvals) {
            Ok(()) => {}
            Err(BallotError::TooManyApprovals(n)) => {
                return Err(AppError::new(
                    Code::TooManyApprovals,
                    format!("{n} approvals; at most {}", r.max_approvals),
                ))
            }
            Err(BallotError::NotOnBallot(x)) => {
                return Err(AppError::invalid_field("choices", "not_on_ballot", format!("{x} is not on the ballot")))
            }
            Err(BallotError::Unanswered(x)) => {
                return Err(AppError::invalid_field("choices", "required", format!("no answer for {x}")))
            }
            Err(BallotError::BadChoice(x)) => {
                return Err(AppError::invalid_field(
                    "choices",
                    "invalid_value",
                    format!("{x}: approve, oppose or abstain"),
                ))
            }
        }
        if !votes::participate(c, id, deputy, "app")? {
            return Err(AppError::conflict(Code::AlreadyVoted, "you have voted in this round"));
        }
        let plain = serde_json::json!({"receipt": receipt, "choices": choices}).to_string();
        votes::hold(c, id, &pii.seal(SEALED, &plain))?;
        // The ledger notes that the deputy voted (not how); the audit names no choice.
        let e = crate::ledger::PointEvent { deputy, kind: "project_voted", source: ("project_round", id), at: now };
        crate::ledger::note(c, e, now)?;
        Entry::by(&p, "project_round.vote", "project_round", id.to_string()).region(Some(r.region_path)).write(c, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(answer))
}

/// Record deputies who voted on paper at the session (staff, while the vote is open): they
/// cannot vote in the app any more; their ballots are counted in a paper tally.
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = PaperVoters, responses((status = 200, body = PaperVotersRecorded), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/paper-voters")]
pub async fn paper_voters(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<PaperVoters>,
) -> AppResult<web::Json<PaperVotersRecorded>> {
    let (ids, id, now) = (body.into_inner().deputy_ids, id.into_inner(), state.now());
    if ids.is_empty() || ids.len() > 5_000 {
        return Err(AppError::invalid_field("deputy_ids", "out_of_range", "1 to 5000 deputies"));
    }
    let n = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        if r.status != "voting" {
            return Err(AppError::conflict(Code::VotingClosed, "the vote is not open"));
        }
        if let Some(x) = super::scope::unseated(c, &r.region_path, &ids)? {
            return Err(AppError::new(Code::NotPresent, format!("deputy {x} is not seated in this congress")));
        }
        for d in &ids {
            if !votes::participate(c, id, *d, "paper")? {
                return Err(AppError::conflict(Code::AlreadyVoted, format!("deputy {d} has voted already")));
            }
        }
        let noted: Vec<_> = ids
            .iter()
            .map(|d| crate::ledger::PointEvent {
                deputy: *d,
                kind: "project_voted",
                source: ("project_round", id),
                at: now,
            })
            .collect();
        crate::ledger::note_many(c, &noted, now)?;
        let n = ids.len();
        Entry::by(&p, "project_round.paper_voters", "project_round", id.to_string())
            .region(Some(r.region_path))
            .write(c, now)?;
        Ok(n)
    })
    .await?;
    Ok(web::Json(PaperVotersRecorded { recorded: n }))
}
