//! Route: the coverage of a congress's term for its staff, as JSON or CSV.

use crate::auth::policy::Action;
use crate::auth::Principal;
use crate::coverage::compute::{self, Computed, Setup};
use crate::coverage::model::{CoverageQuery, CoverageView, MissingDeputy, ObligationCoverage};
use crate::coverage::rules::OBLIGATIONS;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, ReadErrors};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use std::collections::HashMap;

/// The congress (id, path) of the request: `congress` or the caller's own; staff only.
pub fn congress(
    c: &mut AnyConnection,
    p: &Principal,
    congress: Option<i64>,
    action: Action,
) -> AppResult<(i64, String)> {
    crate::org::staff_congress(c, p, congress, action, ("congress", "congress staff see the coverage"))
}

/// The missing deputies of each obligation, the first `limit` of each, or all.
fn missing_ids(all: &Computed, limit: usize) -> Vec<i64> {
    let mut ids: Vec<i64> = all
        .obligations
        .iter()
        .flat_map(|(due, covered)| due.iter().copied().filter(|d| !covered.contains(d)).take(limit))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn shaped(id: i64, all: &Computed, limit: usize, names: &HashMap<i64, String>) -> CoverageView {
    let obligations = OBLIGATIONS
        .iter()
        .zip(all.obligations.iter())
        .map(|((code, name), (due, covered))| {
            let missing: Vec<i64> = due.iter().copied().filter(|d| !covered.contains(d)).collect();
            let n = due.len() - missing.len();
            ObligationCoverage {
                code: code.to_string(),
                name: name.to_string(),
                due: due.len() as i64,
                covered: n as i64,
                share: if due.is_empty() { 1.0 } else { (n as f64 / due.len() as f64 * 10_000.0).round() / 10_000.0 },
                missing_count: missing.len() as i64,
                missing: missing
                    .iter()
                    .take(limit)
                    .map(|d| MissingDeputy { deputy_id: *d, name: names.get(d).cloned().unwrap_or_default() })
                    .collect(),
            }
        })
        .collect();
    CoverageView { congress: id, term: all.term, years: all.years, deputies: all.people.len() as i64, obligations }
}

fn csv(all: &Computed, names: &HashMap<i64, String>) -> AppResult<String> {
    let mut w = crate::platform::csv_out::CsvOut::default();
    w.row(["obligation", "name", "deputy_id", "deputy"])?;
    for ((code, name), (due, covered)) in OBLIGATIONS.iter().zip(all.obligations.iter()) {
        for d in due.iter().filter(|d| !covered.contains(d)) {
            let who = names.get(d).map(String::as_str).unwrap_or_default();
            w.row([*code, *name, &d.to_string(), who])?;
        }
    }
    w.finish()
}

/// The term's coverage of a congress and those below it (its staff): per obligation the share
/// covered, its volume and who is missing; `format=csv` lists every missing deputy.
#[utoipa::path(
    tag = "coverage",
    params(CoverageQuery),
    responses((status = 200, description = "the coverage, or the missing deputies as CSV with `format=csv`", content((CoverageView = "application/json"), (String = "text/csv"))), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/coverage")]
pub async fn view(state: web::Data<AppState>, p: Principal, q: web::Query<CoverageQuery>) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let format = q.format.clone().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "csv") {
        return Err(AppError::invalid_field("format", "invalid_value", "json or csv"));
    }
    let limit = q.limit.unwrap_or(100);
    if !(1..=1_000).contains(&limit) {
        return Err(AppError::invalid_field("limit", "out_of_range", "1 to 1,000"));
    }
    let setup = Setup {
        today: state.clock.now().with_timezone(&state.settings.tz).date_naive(),
        initial_days: state.settings.initial_training_days,
    };
    let every = if format == "csv" { usize::MAX } else { limit };
    let (id, all, names) = db::run(&state.db, move |c| {
        let (id, path) = congress(c, &p, q.congress, Action::Read)?;
        let all = compute::compute(c, &path, q.term, setup)?;
        let names: HashMap<i64, String> = crate::org::deputy_names(c, &missing_ids(&all, every))?.into_iter().collect();
        Ok((id, all, names))
    })
    .await?;
    if format == "csv" {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"lvzhi-coverage-{id}-{}.csv\"", all.term),
            ))
            .body(csv(&all, &names)?));
    }
    Ok(HttpResponse::Ok().json(shaped(id, &all, limit, &names)))
}
