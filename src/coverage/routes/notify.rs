//! Route: one notice to every deputy missing an obligation of the term's coverage.

use super::view::congress;
use crate::auth::policy::Action;
use crate::auth::Principal;
use crate::coverage::compute::{self, Setup};
use crate::coverage::model::{CoverageNotified, CoverageNotify};
use crate::coverage::rules::OBLIGATIONS;
use crate::db;
use crate::error::{AppError, AppResult, FieldError, WriteErrors};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};

/// Send a notice to every deputy missing an obligation (congress staff; 422 when nobody is).
#[utoipa::path(tag = "coverage", request_body = CoverageNotify, responses((status = 201, body = CoverageNotified), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/coverage/notify")]
pub async fn notify(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<CoverageNotify>,
) -> AppResult<HttpResponse> {
    if p.role != crate::auth::Role::Admin {
        return Err(AppError::forbidden(crate::error::Code::Forbidden, "congress staff send the coverage's notices"));
    }
    let b = body.into_inner();
    let mut errs: Vec<FieldError> = vec![];
    errs.extend(crate::org::rules::required_text("title", &b.title, 100));
    errs.extend(crate::org::rules::required_text("body", &b.body, 5_000));
    let Some(k) = OBLIGATIONS.iter().position(|o| o.0 == b.obligation) else {
        errs.push(FieldError::new("obligation", "invalid_value", "one of the coverage's obligation codes"));
        return Err(AppError::validation(errs));
    };
    if !errs.is_empty() || [&b.title, &b.body].iter().any(|t| t.contains('\0')) {
        errs.push(FieldError::new("title", "invalid_value", "text without NUL characters"));
        return Err(AppError::validation(errs));
    }
    let setup = Setup {
        today: state.clock.now().with_timezone(&state.settings.tz).date_naive(),
        initial_days: state.settings.initial_training_days,
    };
    let (now, tz, quiet) = (state.now(), state.settings.tz, state.settings.quiet_hours);
    let (out, wake) = db::tx(&state.db, move |c| {
        let (id, path) = congress(c, &p, b.congress, Action::Write)?;
        let all = compute::compute(c, &path, Some(b.term), setup)?;
        let (due, covered) = &all.obligations[k];
        let missing: Vec<i64> = due.iter().copied().filter(|d| !covered.contains(d)).collect();
        if missing.is_empty() {
            return Err(AppError::invalid_field("obligation", "nobody_missing", "every deputy has met it"));
        }
        let audience = crate::notices::Audience { deputies: missing.clone(), ..Default::default() };
        let (notice, _, wake) = crate::notices::publish_from_system(
            c,
            (id, &path),
            ("general", b.title.trim(), b.body.trim()),
            &audience,
            now,
            tz,
            quiet,
        )?;
        crate::audit::Entry::by(&p, "coverage.notify", "notice", notice.to_string())
            .region(Some(path))
            .write(c, now)?;
        Ok((CoverageNotified { notice_id: notice, deputies: missing.len() as i64 }, wake))
    })
    .await?;
    crate::live::announce(&state, &[wake]).await;
    Ok(HttpResponse::Created().json(out))
}
