//! Routes: paper ballots counted at the session — one member of staff proposes the tally,
//! another approves it (maker-checker); no more ballots than the deputies recorded as voting on
//! paper, no candidate off the ballot.

use super::scope::kept;
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::projects::model::{PaperCount, PaperTallyCreate, PaperTallyView};
use crate::projects::store::{self, votes};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};

fn view(t: votes::TallyRow) -> PaperTallyView {
    PaperTallyView {
        id: t.0,
        round_id: t.1,
        ballots: i64::from(t.2),
        counts: serde_json::from_str(&t.3).unwrap_or_default(),
        status: t.4,
        proposed_by: t.5,
        approved_by: t.6,
    }
}

/// The paper ballots already counted (approved tallies) and proposed.
fn counted(c: &mut AnyConnection, round: i64) -> AppResult<i64> {
    let mut n = 0;
    for status in ["approved", "proposed"] {
        n += votes::tallies(c, round, status)?.iter().map(|t| i64::from(t.2)).sum::<i64>();
    }
    Ok(n)
}

/// Propose a tally of paper ballots (staff, while the vote is open or before it closes).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = PaperTallyCreate, responses((status = 201, body = PaperTallyView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/paper-tallies")]
pub async fn propose(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<PaperTallyCreate>,
) -> AppResult<HttpResponse> {
    let (b, id, now) = (body.into_inner(), id.into_inner(), state.now());
    let bad = |c: &PaperCount| {
        [c.approve, c.oppose, c.abstain].iter().any(|n| *n < 0) || c.approve + c.oppose + c.abstain > b.ballots
    };
    if b.ballots < 1 || b.counts.iter().any(bad) {
        return Err(AppError::invalid_field(
            "counts",
            "out_of_range",
            "each candidate's counts add up to at most the ballots",
        ));
    }
    let v = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        if r.status != "voting" {
            return Err(AppError::conflict(Code::VotingClosed, "paper ballots are counted while the vote is open"));
        }
        let ballot: Vec<i64> = store::on_ballot(c, id)?.iter().map(|x| x.id).collect();
        if let Some(x) = b.counts.iter().find(|x| !ballot.contains(&x.candidate_id)) {
            return Err(AppError::invalid_field(
                "counts",
                "not_on_ballot",
                format!("{} is not on the ballot", x.candidate_id),
            ));
        }
        let cap = votes::voters(c, id, "paper")?;
        if counted(c, id)? + b.ballots > cap {
            return Err(AppError::invalid_field(
                "ballots",
                "too_many_ballots",
                format!("at most {cap} paper ballots: the deputies recorded as voting on paper"),
            ));
        }
        let counts = serde_json::to_string(&b.counts).map_err(AppError::internal)?;
        let t = votes::propose_tally(c, id, b.ballots as i32, &counts, p.account_id, now)?;
        Entry::by(&p, "project_round.tally", "project_round", id.to_string())
            .region(Some(r.region_path))
            .write(c, now)?;
        votes::tally(c, id, t)?.map(view).ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Approve a proposed tally (staff other than its proposer: 403 `maker_checker`).
#[utoipa::path(tag = "projects", params(("id" = i64, Path), ("tally_id" = i64, Path)), responses((status = 200, body = PaperTallyView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/paper-tallies/{tally_id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i64)>,
) -> AppResult<web::Json<PaperTallyView>> {
    let ((id, tally), now) = (path.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        let t = votes::tally(c, id, tally)?.ok_or_else(AppError::not_found)?;
        if t.5 == p.account_id {
            return Err(AppError::forbidden(Code::MakerChecker, "another member of staff approves the tally"));
        }
        if !votes::approve_tally(c, tally, p.account_id, now)? {
            return Err(AppError::conflict(Code::AlreadyDecided, "the tally was decided already"));
        }
        Entry::by(&p, "project_round.tally_approve", "project_round", id.to_string())
            .region(Some(r.region_path))
            .write(c, now)?;
        votes::tally(c, id, tally)?.map(view).ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(web::Json(v))
}
