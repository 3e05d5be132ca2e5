//! Evaluation routes: the settings in force for a congress, setting them, and the evaluation of
//! a year (admins in scope).

use super::assess::{self, congress, load};
use super::model::{EffectiveSettings, Evaluation, EvaluationQuery, EvaluationSettings};
use crate::audit::Entry;
use crate::auth::policy::Action;
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::state::AppState;
use actix_web::{get, put, web};

/// The evaluation settings in force for a congress (admins).
#[utoipa::path(tag = "ledger", params(EvaluationQuery), responses((status = 200, body = EffectiveSettings), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/evaluation-settings")]
pub async fn settings(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<EvaluationQuery>,
) -> AppResult<web::Json<EffectiveSettings>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "evaluations are run by congress staff"));
    }
    let region = q.region_id;
    Ok(web::Json(
        db::run(&state.db, move |c| congress(c, &p, region, Action::Read).and_then(|(_, path)| load(c, &path))).await?,
    ))
}

/// Set a congress's evaluation settings (admins in scope; region 0: the installation's, by
/// installation-wide admins). Lower congresses inherit them.
#[utoipa::path(tag = "ledger", params(("region_id" = i64, Path)), request_body = EvaluationSettings, responses((status = 200, body = EffectiveSettings), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/evaluation-settings/{region_id}")]
pub async fn set(
    state: web::Data<AppState>,
    p: Principal,
    region: web::Path<i64>,
    body: web::Json<EvaluationSettings>,
) -> AppResult<web::Json<EffectiveSettings>> {
    let (region, b) = (region.into_inner(), body.into_inner());
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "evaluations are run by congress staff"));
    }
    let mut errs = vec![];
    for (f, v, max) in [
        ("min_group_activities", b.min_group_activities, 100),
        ("min_suggestions", b.min_suggestions, 100),
        ("bottom_n", b.bottom_n, 10_000),
    ] {
        if !(0..=max).contains(&v) {
            errs.push(FieldError::new(f, "out_of_range", format!("0–{max}")));
        }
    }
    if b.duty_report_due_year.is_some_and(|y| !(1949..=2200).contains(&y)) {
        errs.push(FieldError::new("duty_report_due_year", "out_of_range", "1949–2200"));
    }
    if !(1..=50).contains(&b.excellent_quota_pct) {
        errs.push(FieldError::new("excellent_quota_pct", "out_of_range", "1–50"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let (id, path) = congress(c, &p, Some(region), Action::Write)?;
        if !crate::org::deputies_not_held(c, &p, &b.excluded_deputy_ids)?.is_empty() {
            return Err(AppError::invalid_field(
                "excluded_deputy_ids",
                "unknown_deputy",
                "every excluded deputy must be a deputy of your scope",
            ));
        }
        let excluded = b.excluded_deputy_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let row = (
            id,
            b.min_group_activities,
            b.min_suggestions,
            b.excellent_quota_pct,
            b.bottom_n,
            excluded,
            b.duty_report_due_year,
        );
        crate::ledger::store::evaluation::replace_settings(c, &row, now)?;
        Entry::by(&p, "evaluation.settings", "region", id.to_string()).region(Some(path.clone())).write(c, now)?;
        load(c, &path)
    })
    .await?;
    Ok(web::Json(v))
}

/// Evaluate a congress's year (admins in scope).
#[utoipa::path(tag = "ledger", params(EvaluationQuery), responses((status = 200, body = Evaluation), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/evaluations")]
pub async fn evaluate(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<EvaluationQuery>,
) -> AppResult<web::Json<Evaluation>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "evaluations are run by congress staff"));
    }
    let year = q.year.unwrap_or_else(|| crate::ledger::this_year(&state));
    let region = q.region_id;
    let v = db::run(&state.db, move |c| assess::evaluate(c, &p, region, year)).await?;
    Ok(web::Json(v))
}
