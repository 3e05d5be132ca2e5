//! Routes: the rounds of a congress — created and listed by its staff, read by its deputies —
//! and their steps: to screening, the final ballot, opening the vote at the session (with a
//! notice to the congress's deputies) and closing it (see [`crate::projects::close`]).

use super::scope::{kept, may_read, readable};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::projects::model::{round_view, BallotSetup, OpenVote, RoundCreate, RoundQuery, RoundView};
use crate::projects::rules::{self, ADOPTION_RULES, MAX_TITLE};
use crate::projects::store::{self, RoundRow};
use crate::state::AppState;
use actix_web::{get, post, put, web, HttpResponse};

pub(super) fn full(c: &mut AnyConnection, r: RoundRow) -> AppResult<RoundView> {
    let cands = store::candidates(c, r.id)?;
    Ok(round_view(r, cands))
}

/// Moves the round one step (409 `illegal_transition` from elsewhere), audited.
pub(super) fn take(
    c: &mut AnyConnection,
    p: &Principal,
    r: &RoundRow,
    step: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let to = rules::next(&r.status, step).ok_or_else(|| {
        AppError::conflict(Code::IllegalTransition, format!("a round {} cannot take the step {step}", r.status))
    })?;
    if !store::step(c, r.id, &r.status, to, now)? {
        return Err(AppError::conflict(Code::IllegalTransition, "the round changed meanwhile"));
    }
    Entry::by(p, &format!("project_round.{step}"), "project_round", r.id.to_string())
        .region(Some(r.region_path.clone()))
        .write(c, now)
}

/// One notice from the system to `deputies` of the round's congress; answers its live wake.
pub(super) fn tell(
    c: &mut AnyConnection,
    st: &AppState,
    r: &RoundRow,
    deputies: Vec<i64>,
    (title, body): (&str, &str),
    now: chrono::NaiveDateTime,
) -> AppResult<crate::live::Wake> {
    let to = crate::notices::Audience { deputies, ..Default::default() };
    let (s, congress) = (&st.settings, (r.region_id, r.region_path.as_str()));
    let (_, _, wake) =
        crate::notices::publish_from_system(c, congress, ("general", title, body), &to, now, s.tz, s.quiet_hours)?;
    Ok(wake)
}

/// Open a round of a congress and year, collecting candidates (that congress's staff).
#[utoipa::path(tag = "projects", request_body = RoundCreate, responses((status = 201, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds")]
pub async fn create(state: web::Data<AppState>, p: Principal, body: web::Json<RoundCreate>) -> AppResult<HttpResponse> {
    if p.role != crate::auth::Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff open rounds"));
    }
    let b = body.into_inner();
    let mut errs = vec![];
    if let Some(e) = crate::org::rules::required_text("title", &b.title, MAX_TITLE) {
        errs.push(e);
    }
    if b.title.contains('\0') {
        errs.push(FieldError::new("title", "invalid_value", "no NUL characters"));
    }
    if !(2000..=2200).contains(&b.year) {
        errs.push(FieldError::new("year", "out_of_range", "2000–2200"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let region = b.region_id.or(p.region_id).ok_or_else(|| AppError::invalid_field("region_id", "required", ""))?;
        let path = crate::org::region_path(c, region)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Region, path.clone()))?;
        let id = store::insert_round(c, (region, &path), b.year, b.title.trim(), p.account_id, now)?;
        Entry::by(&p, "project_round.create", "project_round", id.to_string()).region(Some(path)).write(c, now)?;
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        full(c, r)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Rounds in the caller's scope (a congress and year if given).
#[utoipa::path(tag = "projects", params(RoundQuery), responses((status = 200, body = Vec<RoundView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/project-rounds")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<RoundQuery>,
) -> AppResult<web::Json<Vec<RoundView>>> {
    let q = q.into_inner();
    let out = db::run(&state.db, move |c| {
        let path = match q.region_id {
            Some(id) => crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?,
            None => p.region_path.clone().unwrap_or_else(|| "/".into()),
        };
        let mut out = vec![];
        for r in store::list(c, &crate::org::subtree_like(&path), q.year)? {
            if may_read(c, &p, &r).is_ok() {
                out.push(full(c, r)?);
            }
        }
        Ok(out)
    })
    .await?;
    Ok(web::Json(out))
}

/// A round with its candidates (its congress's staff and seated deputies).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = RoundView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/project-rounds/{id}")]
pub async fn get_one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<RoundView>> {
    let id = id.into_inner();
    let v = db::run(&state.db, move |c| {
        let r = readable(c, &p, id)?;
        full(c, r)
    })
    .await?;
    Ok(web::Json(v))
}

/// End the collecting: the round goes to screening (staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), responses((status = 200, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/screen")]
pub async fn screen(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<RoundView>> {
    let (id, now) = (id.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        take(c, &p, &r, "screen", now)?;
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        full(c, r)
    })
    .await?;
    Ok(web::Json(v))
}

/// Set the final ballot while screening: its candidates, how many are adopted, the most
/// approvals a deputy may give and the adoption rule (staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = BallotSetup, responses((status = 200, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/project-rounds/{id}/ballot")]
pub async fn set_ballot(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<BallotSetup>,
) -> AppResult<web::Json<RoundView>> {
    let (b, id, now) = (body.into_inner(), id.into_inner(), state.now());
    let mut errs = vec![];
    if b.candidate_ids.is_empty() || b.candidate_ids.len() > 100 {
        errs.push(FieldError::new("candidate_ids", "out_of_range", "1 to 100 candidates"));
    }
    if !(1..=b.candidate_ids.len() as i32).contains(&b.adopt_count) {
        errs.push(FieldError::new("adopt_count", "out_of_range", "1 to the number of candidates"));
    }
    if !(1..=b.candidate_ids.len() as i32).contains(&b.max_approvals) {
        errs.push(FieldError::new("max_approvals", "out_of_range", "1 to the number of candidates"));
    }
    if !ADOPTION_RULES.contains(&b.adoption_rule.as_str()) {
        errs.push(FieldError::new("adoption_rule", "invalid_value", "seated or cast"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        if r.status != "screening" {
            return Err(AppError::conflict(Code::IllegalTransition, "the ballot is set while screening"));
        }
        let ours: Vec<i64> = store::candidates(c, id)?.iter().map(|x| x.id).collect();
        if let Some(x) = b.candidate_ids.iter().find(|x| !ours.contains(x)) {
            return Err(AppError::invalid_field(
                "candidate_ids",
                "not_found",
                format!("{x} is not a candidate of this round"),
            ));
        }
        store::set_ballot(c, id, (b.adopt_count, b.max_approvals, &b.adoption_rule), &b.candidate_ids)?;
        Entry::by(&p, "project_round.ballot", "project_round", id.to_string())
            .region(Some(r.region_path))
            .write(c, now)?;
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        full(c, r)
    })
    .await?;
    Ok(web::Json(v))
}

/// Open the vote at the congress session (an event): the seated count is frozen and every
/// seated deputy gets a notice (staff).
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = OpenVote, responses((status = 200, body = RoundView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/project-rounds/{id}/open")]
pub async fn open(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<OpenVote>,
) -> AppResult<web::Json<RoundView>> {
    let (event, id, now, st) = (body.event_id, id.into_inner(), state.now(), state.clone());
    let (v, wake) = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        if r.status == "screening" && store::on_ballot(c, id)?.is_empty() {
            return Err(AppError::invalid_field("candidate_ids", "required", "set the ballot first"));
        }
        crate::checkins::event_window(c, event)?
            .ok_or_else(|| AppError::invalid_field("event_id", "not_found", "no such event"))?;
        take(c, &p, &r, "open", now)?;
        let deputies = crate::org::seated_in_congress(c, &r.region_path)?;
        store::set_opened(c, id, Some(event), deputies.len() as i32)?;
        let body = format!("{}已开始票决，请在会场签到后在履职App中投票。", r.title);
        let wake = tell(c, &st, &r, deputies, ("民生实事项目票决", &body), now)?;
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        Ok((full(c, r)?, wake))
    })
    .await?;
    crate::live::announce(&state, &[wake]).await;
    Ok(web::Json(v))
}
