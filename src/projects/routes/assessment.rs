//! Routes: the year-end assessment of the adopted projects (满意度测评) — staff open it (a notice
//! to the congress's deputies); each seated deputy rates every project once, in secret (who rated
//! is kept apart from the sheet, see `store::ratings`), answered with a receipt; staff close it:
//! the sheets are shuffled and settled, counted, and published with their SHA-256, and the round
//! is assessed.

use super::rounds::{full, take};
use super::scope::{kept, readable, voter};
use super::works::ctx;
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::projects::model::{AssessmentPublished, ProjectRatingCreate, RatingSheet, RoundView, VoteReceipt};
use crate::projects::rules::assess;
use crate::projects::store::{self, ratings, RoundRow};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use rand::Rng;

use crate::platform::pii::field::PROJECT_BALLOT as SEALED;

fn implementing(r: &RoundRow) -> AppResult<()> {
    if r.status != "implementing" {
        return Err(AppError::conflict(Code::IllegalTransition, "projects are assessed after they are carried out"));
    }
    Ok(())
}

/// Open the year-end assessment (staff, while implementing): the congress's deputies get a notice.
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/assessment/open")]
pub async fn open(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<RoundView>> {
    let (id, now, st) = (id.into_inner(), state.now(), state.clone());
    let (v, wake) = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        implementing(&r)?;
        if r.assessing {
            return Err(AppError::conflict(Code::IllegalTransition, "the assessment is open already"));
        }
        store::set_assessing(c, id, true, None)?;
        Entry::by(&p, "project_round.assessment_open", "project_round", id.to_string())
            .region(Some(r.region_path.clone()))
            .write(c, now)?;
        let body =
            format!("{}年度测评已开始，请在履职App中对各项目逐项评价（满意、基本满意、不满意），测评不记名。", r.title);
        let to = crate::org::seated_in_congress(c, &r.region_path)?;
        let wake = super::rounds::tell(c, &st, &r, to, ("民生实事项目满意度测评", &body), now)?;
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        Ok((full(c, r)?, wake))
    })
    .await?;
    crate::live::announce(&state, &[wake]).await;
    Ok(web::Json(v))
}

/// The rating sheet: the adopted projects with their progress, whether the assessment is open
/// and whether the caller has rated (the congress's deputies and staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = RatingSheet), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/project-rounds/{id}/assessment")]
pub async fn sheet(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<RatingSheet>> {
    let (id, st) = (id.into_inner(), state.clone());
    let v = db::run(&state.db, move |c| {
        let r = readable(c, &p, id)?;
        let rated = match p.deputy_id {
            Some(d) => ratings::has_rated(c, id, d)?,
            None => false,
        };
        let rows = store::adopted(c, id)?;
        let projects = super::views::projects(c, &ctx(&st), rows, std::slice::from_ref(&r))?;
        Ok(RatingSheet { round_id: id, status: r.status, open: r.assessing, rated, projects })
    })
    .await?;
    Ok(web::Json(v))
}

/// Rate every adopted project: satisfied, basically_satisfied or dissatisfied (a deputy seated in
/// the congress, once: 409 `already_rated`; 409 `voting_closed` when the assessment is not
/// open). The receipt finds the sheet in the published assessment.
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = ProjectRatingCreate, responses((status = 201, body = VoteReceipt), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/ratings")]
pub async fn rate(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ProjectRatingCreate>,
) -> AppResult<HttpResponse> {
    let (choices, id, now) = (body.into_inner().ratings, id.into_inner(), state.now());
    let receipt = hex::encode(rand::rng().random::<[u8; 16]>());
    let (pii, answer) = (state.pii.clone(), VoteReceipt { receipt: receipt.clone() });
    db::tx(&state.db, move |c| {
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        let deputy = voter(c, &p, &r)?;
        if !r.assessing {
            return Err(AppError::conflict(Code::VotingClosed, "the assessment is not open"));
        }
        let projects: Vec<i64> = store::adopted(c, id)?.iter().map(|x| x.id).collect();
        if let Err((x, code)) = assess::check(&choices, &projects) {
            let msg = format!("project {x}: rate every adopted project satisfied, basically_satisfied or dissatisfied");
            return Err(AppError::invalid_field("ratings", code, msg));
        }
        if !ratings::take_part(c, id, deputy)? {
            return Err(AppError::conflict(Code::AlreadyRated, "you have rated this round's projects"));
        }
        let plain = serde_json::json!({"receipt": receipt, "choices": choices}).to_string();
        ratings::hold(c, id, &pii.seal(SEALED, &plain))?;
        Entry::by(&p, "project_round.rate", "project_round", id.to_string()).region(Some(r.region_path)).write(c, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(answer))
}

/// Settles the held sheets in shuffled order and counts them.
fn settle(c: &mut AnyConnection, pii: &crate::platform::pii::Pii, r: &RoundRow) -> AppResult<assess::Assessment> {
    let rows = super::results::unseal_shuffled(pii, ratings::held(c, r.id)?)?;
    ratings::settle(c, r.id, &rows)?;
    let sheets = super::results::as_ballots(ratings::sheets(c, r.id)?)?;
    let projects: Vec<(i64, String)> = store::adopted(c, r.id)?.into_iter().map(|x| (x.id, x.title)).collect();
    Ok(assess::Assessment {
        round_id: r.id,
        year: r.year,
        title: r.title.clone(),
        seated: crate::org::seated_in_congress(c, &r.region_path)?.len() as i64,
        rated: sheets.len() as i64,
        projects: assess::count(&projects, &sheets),
        sheets,
    })
}

/// Close the assessment and publish it: every sheet under its receipt (in no order of rating),
/// the counts per project with the satisfaction rate beside its volume, and the SHA-256; the
/// round is assessed (staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = AssessmentPublished), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/assess")]
pub async fn close(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<AssessmentPublished>> {
    let (id, now, pii) = (id.into_inner(), state.now(), state.pii.clone());
    let out = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        if !r.assessing {
            return Err(AppError::conflict(Code::VotingClosed, "open the assessment first"));
        }
        take(c, &p, &r, "assess", now)?;
        let a = settle(c, &pii, &r)?;
        let out = AssessmentPublished { digest: assess::digest(&a), assessment: a };
        store::set_assessing(c, id, false, Some(&serde_json::to_string(&out).map_err(AppError::internal)?))?;
        Ok(out)
    })
    .await?;
    Ok(web::Json(out))
}

/// The published assessment of an assessed round, for anyone to download and recount
/// (`lvzhi verify-tally FILE` checks it too).
#[utoipa::path(tag = "public", params(("id" = i64, Path)), responses((status = 200, body = AssessmentPublished), ReadErrors))]
#[get("/api/v1/public/project-rounds/{id}/assessment")]
pub async fn public(state: web::Data<AppState>, id: web::Path<i64>) -> AppResult<web::Json<AssessmentPublished>> {
    let id = id.into_inner();
    let out = db::run(&state.db, move |c| {
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        let text = r.assessment.ok_or_else(AppError::not_found)?;
        serde_json::from_str(&text).map_err(AppError::internal)
    })
    .await?;
    Ok(web::Json(out))
}
