//! Changing the rulebook: every change is a new version of the rule; entries cite the version
//! they applied, so history stays explainable.

use super::model::{RuleCreate, RuleView};
use super::store::{self, NewRule};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};

pub const CATEGORIES: [&str; 9] = [
    "base",
    "meeting",
    "suggestion",
    "station_reception",
    "activity",
    "training",
    "inspection",
    "online_duty",
    "penalty",
];

fn check(b: &RuleCreate) -> Vec<FieldError> {
    let mut e = vec![];
    if b.code.is_empty()
        || b.code.len() > 40
        || !b.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        e.push(FieldError::new("code", "invalid_code", "lowercase letters, digits and _"));
    }
    e.extend(crate::org::rules::required_text("name", &b.name, 100));
    e.extend(crate::org::rules::required_text("clause", &b.clause, 40));
    if !CATEGORIES.contains(&b.category.as_str()) {
        e.push(FieldError::new("category", "invalid_value", CATEGORIES.join(", ")));
    }
    if !(-100..=100).contains(&b.points) {
        e.push(FieldError::new("points", "out_of_range", "-100..100"));
    }
    if b.yearly_cap.is_some_and(|c| c < 0) {
        e.push(FieldError::new("yearly_cap", "invalid_cap", "a cap is zero or more"));
    }
    if b.daily_cap.is_some_and(|c| c < 0) {
        e.push(FieldError::new("daily_cap", "invalid_cap", "a cap is zero or more"));
    }
    for (f, v) in [("effective_from", &b.effective_from), ("effective_to", &b.effective_to)] {
        if v.as_deref().is_some_and(|d| !crate::org::rules::valid_date(d)) {
            e.push(FieldError::new(f, "invalid_date", "YYYY-MM-DD"));
        }
    }
    if let (Some(from), Some(to)) = (&b.effective_from, &b.effective_to) {
        if to < from {
            e.push(FieldError::new("effective_to", "invalid_range", "the rule must end on or after the day it starts"));
        }
    }
    e
}

/// Add a rule, or a new version of one, to a congress's rulebook (admins in scope) or to the
/// installation's default rulebook (installation-wide admins).
#[utoipa::path(tag = "ledger", request_body = RuleCreate, responses((status = 201, body = RuleView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/point-rules")]
pub async fn create(state: web::Data<AppState>, p: Principal, body: web::Json<RuleCreate>) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff change rulebooks"));
    }
    if b.region_id.is_none() && p.region_path.is_some() {
        return Err(AppError::forbidden(
            Code::Forbidden,
            "the installation's default rulebook is changed by installation-wide admins; give your congress's region_id",
        ));
    }
    let errs = check(&b);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let region = match b.region_id {
            Some(id) => {
                let path = crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?;
                policy::authorize(&p, Action::Write, &Target::new(Kind::Region, path.clone()))?;
                Some((id, path))
            }
            None => None,
        };
        let region_id = region.as_ref().map(|r| r.0).unwrap_or(0);
        let version = store::max_version(c, region_id, &b.code)? + 1;
        let id = store::insert_rule(
            c,
            &NewRule {
                region_id,
                version,
                code: &b.code,
                name: b.name.trim(),
                category: &b.category,
                points: b.points,
                yearly_cap: b.yearly_cap,
                daily_cap: b.daily_cap,
                needs_review: b.needs_review,
                clause: b.clause.trim(),
                effective_from: b.effective_from.as_deref(),
                effective_to: b.effective_to.as_deref(),
                created_at: now,
            },
        )?;
        Entry::by(&p, "ledger.rule_version", "point_rule", id.to_string())
            .region(region.map(|r| r.1))
            .detail(format!("{} v{version} (region {region_id})", b.code))
            .write(c, now)?;
        let r = store::rule(c, id)?.ok_or_else(AppError::not_found)?;
        Ok(super::routes::rule_view(r))
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}
