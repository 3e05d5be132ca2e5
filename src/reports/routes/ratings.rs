//! Routes: rating a report during its session (a constituent present, proven by the session's
//! rotating token; one rating each), its results for the deputy and staff, and published
//! reports for everyone.

use super::scope::readable;
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, Problem, ReadErrors, WriteErrors};
use crate::reports::model::{results, view, PublicQuery, PublicReport, RatingComment, RatingCreate, Results};
use crate::reports::rules::{self, MAX_COMMENT, VERDICTS};
use crate::reports::store::{self, ratings};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};

fn result_of(c: &mut AnyConnection, id: i64, with_comments: bool) -> AppResult<Results> {
    let t = crate::reports::archive::tally(c, id)?;
    let comments = if with_comments {
        ratings::comments(c, id)?
            .into_iter()
            .map(|(verdict, comment, at)| RatingComment { verdict, comment, at: utc(at) })
            .collect()
    } else {
        vec![]
    };
    Ok(results(id, t, comments))
}

/// Rate a report during its session (a constituent there: the token of the session's QR code;
/// 403 for a wrong or expired token, 409 `review_closed` outside the session, 409
/// `already_rated` for a second rating).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), request_body = RatingCreate, responses((status = 201, description = "rated"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/{id}/ratings")]
pub async fn rate(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<RatingCreate>,
) -> AppResult<HttpResponse> {
    if p.role != Role::Constituent {
        return Err(AppError::forbidden(Code::Forbidden, "those present rate a report, signed in with their phone"));
    }
    let b = body.into_inner();
    let mut errs = vec![];
    if !VERDICTS.contains(&b.verdict.as_str()) {
        errs.push(FieldError::new("verdict", "invalid_value", VERDICTS.join(", ")));
    }
    let comment = b.comment.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if comment.as_deref().is_some_and(|s| s.chars().count() > MAX_COMMENT) {
        errs.push(FieldError::new("comment", "too_long", "at most 500 characters"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let (id, now, grace) = (id.into_inner(), state.now(), state.settings.qr_grace_secs);
    db::tx(&state.db, move |c| {
        let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        let me = crate::reception::constituent_of(c, &p)?;
        let event = r.event_id.filter(|_| matches!(r.status.as_str(), "approved" | "delivered"));
        let window = match event {
            Some(e) => crate::checkins::event_window(c, e)?,
            None => None,
        };
        let (Some(event), Some((starts, ends))) = (event, window) else {
            return Err(AppError::conflict(Code::ReviewClosed, "this report has no session open for rating"));
        };
        if !rules::in_session(starts, ends, now) {
            return Err(AppError::conflict(Code::ReviewClosed, "ratings are taken during the session only"));
        }
        if let Err(problem) = crate::checkins::verify_event_token(c, event, &b.token, now, grace)? {
            return Err(AppError::forbidden(Code::Forbidden, format!("the session's code is not valid: {problem}")));
        }
        if !ratings::insert(c, id, me, &b.verdict, comment.as_deref(), now)? {
            return Err(AppError::conflict(Code::AlreadyRated, "you have rated this report"));
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Created().finish())
}

/// A report's results: counts and rates with their volume, the comments, and the flag for a
/// talk (its deputy, or staff in scope; never a phone number).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), responses((status = 200, body = Results), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/duty-reports/{id}/results")]
pub async fn results_of(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<Results>> {
    let id = id.into_inner();
    let out = db::run(&state.db, move |c| {
        readable(c, &p, id)?;
        result_of(c, id, true)
    })
    .await?;
    Ok(web::Json(out))
}

/// A deputy's published reports with their text, frozen figures and results (public, no login;
/// the comments stay with the deputy and staff).
#[utoipa::path(tag = "public", params(PublicQuery), responses((status = 200, body = Vec<PublicReport>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/public/duty-reports")]
pub async fn public(state: web::Data<AppState>, q: web::Query<PublicQuery>) -> AppResult<web::Json<Vec<PublicReport>>> {
    let code = q.into_inner().deputy_code;
    let out = db::run(&state.db, move |c| {
        let (deputy, ..) = crate::org::public_deputy(c, &code)?.ok_or_else(AppError::not_found)?;
        let mut out = vec![];
        for r in store::of_deputy(c, deputy, true)? {
            let results = result_of(c, r.id, false)?;
            out.push(PublicReport { report: view(r), results });
        }
        Ok(out)
    })
    .await?;
    Ok(web::Json(out))
}
