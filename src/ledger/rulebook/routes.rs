//! Rulebook routes: the rulebook in force for a congress, a new version of a rule, and what-if
//! replays of draft rules. Every change is a new version; entries cite the version they applied.

use super::rules::check;
use super::whatif::{self, Simulation, SimulationResult};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::ledger::model::{RuleCreate, RuleView, RulebookQuery};
use crate::ledger::store::{self, NewRule, RuleRow};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};

pub fn rule_view(r: RuleRow) -> RuleView {
    RuleView {
        id: r.id,
        code: r.code,
        name: r.name,
        category: r.category,
        points: r.points,
        yearly_cap: r.yearly_cap,
        daily_cap: r.daily_cap,
        needs_review: r.needs_review,
        clause: r.clause,
        version: r.version,
        region_id: r.region_id,
        effective_from: r.effective_from,
        effective_to: r.effective_to,
    }
}

/// The rulebook in force today for a congress, inherited rules included; each rule says which
/// congress's rulebook it comes from (every signed-in user may read it).
#[utoipa::path(tag = "ledger", params(RulebookQuery), responses((status = 200, body = Vec<RuleView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/point-rules")]
pub async fn rulebook(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<RulebookQuery>,
) -> AppResult<web::Json<Vec<RuleView>>> {
    let day = state.clock.now().with_timezone(&state.settings.tz).format("%Y-%m-%d").to_string();
    let region = q.region_id;
    let rows = db::run(&state.db, move |c| {
        let path = match (region, p.deputy_id) {
            (Some(id), _) => crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?,
            (None, Some(me)) => crate::org::congress_path(
                crate::org::deputy_scopes(c, &[me])?.get(&me).map(Vec::as_slice).unwrap_or_default(),
            ),
            (None, None) => p.region_path.clone().unwrap_or_else(|| "/".into()),
        };
        store::rulebook_at(c, &path, &day)
    })
    .await?;
    Ok(web::Json(rows.into_iter().map(rule_view).collect()))
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
        Ok(rule_view(r))
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Replay a year with draft rules: how each deputy's total and rank would change (admins in
/// scope). Nothing is written.
#[utoipa::path(tag = "ledger", request_body = Simulation, responses((status = 200, body = SimulationResult), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/point-rules/simulate")]
pub async fn simulate(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<Simulation>,
) -> AppResult<web::Json<SimulationResult>> {
    let b = body.into_inner();
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff simulate rule changes"));
    }
    let mut errs = vec![];
    if b.rules.is_empty() {
        errs.push(FieldError::new("rules", "required", "at least one draft rule"));
    }
    for (i, r) in b.rules.iter().enumerate() {
        if r.yearly_cap.is_some_and(|c| c < 0) || r.daily_cap.is_some_and(|c| c < 0) {
            errs.push(FieldError::new(&format!("rules[{i}]"), "invalid_cap", "a cap is zero or more"));
        }
        if !(-100..=100).contains(&r.points) {
            errs.push(FieldError::new(&format!("rules[{i}].points"), "out_of_range", "-100..100"));
        }
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let (tz, limit) = (state.settings.tz, b.limit.unwrap_or(50).clamp(1, 1000));
    Ok(web::Json(db::run(&state.db, move |c| whatif::run(c, &p, &b, tz, limit)).await?))
}
