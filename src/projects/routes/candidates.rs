//! Routes: candidate projects while a round is collecting — proposed by the congress's deputies
//! or added by its staff (from the government's list), citing the opinions and suggestions they
//! come from; and a constituent's opinion (category 民生实事) made a candidate by staff.

use super::rounds::full;
use super::scope::{kept, readable, voter};
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::projects::model::{CandidateCreate, FromOpinion, RoundView, Sources};
use crate::projects::rules::{MAX_TEXT, MAX_TITLE};
use crate::projects::store::{self, NewCandidate, RoundRow};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDateTime;

fn check(b: &CandidateCreate) -> Vec<FieldError> {
    let mut errs = vec![];
    errs.extend(crate::org::rules::required_text("title", &b.title, MAX_TITLE));
    errs.extend(crate::org::rules::required_text("description", &b.description, MAX_TEXT));
    if b.location.chars().count() > 200 {
        errs.push(FieldError::new("location", "too_long", "at most 200 characters"));
    }
    if b.timeline.chars().count() > 200 {
        errs.push(FieldError::new("timeline", "too_long", "at most 200 characters"));
    }
    if !(0..=1_000_000_000_000).contains(&b.budget_yuan) {
        errs.push(FieldError::new("budget_yuan", "out_of_range", "0 to 10^12 yuan"));
    }
    let texts = [&b.title, &b.description, &b.location, &b.timeline];
    if texts.iter().any(|t| t.contains('\0'))
        || b.sources.opinions.iter().chain(&b.sources.suggestions).any(|t| t.contains('\0'))
    {
        errs.push(FieldError::new("title", "invalid_value", "no NUL characters"));
    }
    let s = &b.sources;
    if s.opinions.len() + s.suggestions.len() > 50 || s.opinions.iter().chain(&s.suggestions).any(|x| x.len() > 40) {
        errs.push(FieldError::new("sources", "out_of_range", "at most 50 references of 40 characters"));
    }
    errs
}

/// The round, open for candidates (409 `illegal_transition` once collecting ended).
fn collecting(r: RoundRow) -> AppResult<RoundRow> {
    if r.status != "collecting" {
        return Err(AppError::conflict(Code::IllegalTransition, "candidates are gathered while collecting"));
    }
    Ok(r)
}

fn known_unit(c: &mut AnyConnection, unit: Option<i64>) -> AppResult<()> {
    match unit {
        Some(u) if crate::org::unit(c, u)?.is_none() => {
            Err(AppError::invalid_field("lead_unit_id", "not_found", "no such handling unit"))
        }
        _ => Ok(()),
    }
}

/// Stores a candidate of the round (its lead unit must exist), audited; answers the round.
fn add(
    c: &mut AnyConnection,
    p: &Principal,
    r: RoundRow,
    n: &NewCandidate,
    now: NaiveDateTime,
) -> AppResult<RoundView> {
    known_unit(c, n.lead_unit)?;
    let cid = store::insert_candidate(c, n, now)?;
    // The opinions and suggestions it cites show where they went.
    let cited: Sources = serde_json::from_str(n.sources).map_err(AppError::internal)?;
    let note = format!("已作为{}年民生实事候选项目“{}”的来源（候选项目{cid}）", r.year, n.title);
    for t in &cited.opinions {
        crate::reception::note_opinion_cited(c, t, &r.region_path, &note, p.account_id, now)?;
    }
    for s in &cited.suggestions {
        crate::suggestions::note_suggestion_cited(c, s, &r.region_path, &note, p.account_id, now)?;
    }
    Entry::by(p, "project_round.candidate", "project_candidate", cid.to_string())
        .region(Some(r.region_path.clone()))
        .write(c, now)?;
    full(c, r)
}

/// Propose a candidate (a deputy seated in the round's congress, or its staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = CandidateCreate, responses((status = 201, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/candidates")]
pub async fn propose(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<CandidateCreate>,
) -> AppResult<HttpResponse> {
    let (b, id, now) = (body.into_inner(), id.into_inner(), state.now());
    let errs = check(&b);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let (r, deputy) = match p.deputy_id {
            Some(_) => {
                let r = readable(c, &p, id)?;
                let d = voter(c, &p, &r)?;
                (r, Some(d))
            }
            None => (kept(c, &p, id)?, None),
        };
        let r = collecting(r)?;
        let sources = serde_json::to_string(&b.sources).map_err(AppError::internal)?;
        let n = NewCandidate {
            round: id,
            title: b.title.trim(),
            description: b.description.trim(),
            location: b.location.trim(),
            budget_yuan: b.budget_yuan,
            lead_unit: b.lead_unit_id,
            timeline: b.timeline.trim(),
            sources: &sources,
            deputy,
            by: p.account_id,
        };
        add(c, &p, r, &n, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Make a constituent's opinion (category `livelihood_project`, in the congress's region) a
/// candidate citing it (staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = FromOpinion, responses((status = 201, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/candidates/from-opinion")]
pub async fn from_opinion(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<FromOpinion>,
) -> AppResult<HttpResponse> {
    let (b, id, now) = (body.into_inner(), id.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let r = collecting(kept(c, &p, id)?)?;
        // A ticket is short ASCII (`YJ20261206-0001`): anything else names no opinion.
        let t = &b.ticket;
        if t.is_empty() || t.len() > 40 || !t.bytes().all(|x| x.is_ascii_alphanumeric() || x == b'-') {
            return Err(AppError::not_found());
        }
        let (title, content, path, category) =
            crate::reception::opinion_brief(c, &b.ticket)?.ok_or_else(AppError::not_found)?;
        if !path.starts_with(&r.region_path) {
            return Err(AppError::not_found());
        }
        if category != "livelihood_project" {
            return Err(AppError::invalid_field(
                "ticket",
                "invalid_value",
                "an opinion of category livelihood_project",
            ));
        }
        let title = b.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).unwrap_or(&title).to_string();
        let sources = Sources { opinions: vec![b.ticket.clone()], suggestions: vec![] };
        let sources = serde_json::to_string(&sources).map_err(AppError::internal)?;
        let n = NewCandidate {
            round: id,
            title: &title.chars().take(MAX_TITLE).collect::<String>(),
            description: &content,
            location: "",
            budget_yuan: 0,
            lead_unit: b.lead_unit_id,
            timeline: "",
            sources: &sources,
            deputy: None,
            by: p.account_id,
        };
        add(c, &p, r, &n, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}
