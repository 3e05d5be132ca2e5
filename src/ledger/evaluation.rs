//! The annual evaluation: deputies below the congress's minimums (group activities,
//! suggestions), candidates for excellent deputy by a quota of the ranking (with exclusions, e.g.
//! leaders do not compete), and the bottom of the ranking two years running. Settings per
//! congress, inherited like the rulebook.

use super::store::ranks::RankScope;
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::schema::{evaluation_settings as es, ledger_entries as e};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::state::AppState;
use actix_web::{get, put, web};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSettings {
    pub min_group_activities: i32,
    pub min_suggestions: i32,
    /// Share of the ranked deputies proposed as excellent, 1–50 (%).
    pub excellent_quota_pct: i32,
    /// How deep "the bottom of the ranking" goes.
    pub bottom_n: i32,
    /// Deputies who do not compete for excellent (e.g. leaders).
    pub excluded_deputy_ids: Vec<i64>,
}

impl Default for EvaluationSettings {
    fn default() -> Self {
        EvaluationSettings {
            min_group_activities: 3,
            min_suggestions: 1,
            excellent_quota_pct: 10,
            bottom_n: 5,
            excluded_deputy_ids: vec![],
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EffectiveSettings {
    /// The congress whose settings apply (0: the installation's; none stored: the defaults).
    pub from_region_id: Option<i64>,
    pub settings: EvaluationSettings,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EvaluationQuery {
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
    /// The congress evaluated (default: the caller's scope).
    pub region_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BelowMinimum {
    pub deputy_id: i64,
    pub name: String,
    pub group_activities: i64,
    pub suggestions: i64,
    /// `group_activities` and/or `suggestions`.
    pub missing: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Placed {
    pub deputy_id: i64,
    pub name: String,
    pub points: i64,
    pub rank: usize,
    /// The rank a year before (bottom list only).
    pub last_year_rank: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub year: i32,
    pub settings: EffectiveSettings,
    pub deputies: usize,
    pub below_minimums: Vec<BelowMinimum>,
    /// The top quota of the ranking without the excluded deputies; ties at the cut are included.
    pub excellent_candidates: Vec<Placed>,
    /// In the bottom `bottom_n` this year and the year before.
    pub bottom_two_years: Vec<Placed>,
}

fn load(c: &mut AnyConnection, path: &str) -> AppResult<EffectiveSettings> {
    let mut chain = super::rules::path_ids(path);
    chain.reverse();
    chain.push(0);
    let rows: Vec<(i64, i32, i32, i32, i32, String)> = es::table
        .filter(es::region_id.eq_any(&chain))
        .select((
            es::region_id,
            es::min_group_activities,
            es::min_suggestions,
            es::excellent_quota_pct,
            es::bottom_n,
            es::excluded_deputies,
        ))
        .load(c)?;
    let found = chain.iter().find_map(|r| rows.iter().find(|x| x.0 == *r));
    Ok(match found {
        None => EffectiveSettings { from_region_id: None, settings: EvaluationSettings::default() },
        Some((r, g, s, q, b, ex)) => EffectiveSettings {
            from_region_id: Some(*r),
            settings: EvaluationSettings {
                min_group_activities: *g,
                min_suggestions: *s,
                excellent_quota_pct: *q,
                bottom_n: *b,
                excluded_deputy_ids: ex.split(',').filter_map(|x| x.parse().ok()).collect(),
            },
        },
    })
}

/// The congress (id, path) named, checked against the caller's scope; the caller's own otherwise.
fn congress(c: &mut AnyConnection, p: &Principal, region: Option<i64>, action: Action) -> AppResult<(i64, String)> {
    match region.or(p.region_id) {
        Some(0) | None => match p.region_path {
            None => Ok((0, "/".into())),
            Some(_) => Err(AppError::forbidden(
                Code::Forbidden,
                "the installation's settings are changed by installation-wide admins",
            )),
        },
        Some(id) => {
            let path = crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?;
            policy::authorize(p, action, &Target::new(Kind::Region, path.clone()))?;
            Ok((id, path))
        }
    }
}

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
        let values = (
            es::region_id.eq(id),
            es::min_group_activities.eq(b.min_group_activities),
            es::min_suggestions.eq(b.min_suggestions),
            es::excellent_quota_pct.eq(b.excellent_quota_pct),
            es::bottom_n.eq(b.bottom_n),
            es::excluded_deputies.eq(&excluded),
            es::updated_at.eq(now),
        );
        diesel::delete(es::table.find(id)).execute(c)?;
        diesel::insert_into(es::table).values(values).execute(c)?;
        Entry::by(&p, "evaluation.settings", "region", id.to_string()).region(Some(path.clone())).write(c, now)?;
        load(c, &path)
    })
    .await?;
    Ok(web::Json(v))
}

/// (deputy, rule) → entries of the year that stand (not reversals, not reversed).
fn counts(c: &mut AnyConnection, year: i32, codes: &[&str]) -> AppResult<HashMap<(i64, String), i64>> {
    let reversed: HashSet<i64> = e::table
        .filter(e::year.eq(year))
        .filter(e::reverses.is_not_null())
        .select(e::reverses)
        .load::<Option<i64>>(c)?
        .into_iter()
        .flatten()
        .collect();
    // Reversals are left out in memory (a `reverses IS NULL` filter reads through that index).
    let rows: Vec<(i64, i64, String, Option<i64>)> = e::table
        .filter(e::year.eq(year))
        .filter(e::rule_code.eq_any(codes))
        .select((e::id, e::deputy_id, e::rule_code, e::reverses))
        .load(c)?;
    let rows: Vec<(i64, i64, String)> =
        rows.into_iter().filter(|r| r.3.is_none()).map(|(id, d, code, _)| (id, d, code)).collect();
    let mut out: HashMap<(i64, String), i64> = HashMap::new();
    for (_, d, code) in rows.into_iter().filter(|r| !reversed.contains(&r.0)) {
        *out.entry((d, code)).or_default() += 1;
    }
    Ok(out)
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
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&state.clock.now().with_timezone(&state.settings.tz)));
    let region = q.region_id;
    let v = db::run(&state.db, move |c| {
        let (_, path) = congress(c, &p, region, Action::Read)?;
        let eff = load(c, &path)?;
        let s = eff.settings.clone();
        let members = crate::org::deputies_in(c, &path)?;
        let names: HashMap<i64, String> = crate::org::deputy_names(c, &members)?.into_iter().collect();
        let name = |d: i64| names.get(&d).cloned().unwrap_or_default();
        let n = counts(c, year, &["group_activity_attended", "suggestion_filed"])?;
        let below_minimums = members
            .iter()
            .filter_map(|d| {
                let g = n.get(&(*d, "group_activity_attended".into())).copied().unwrap_or(0);
                let sg = n.get(&(*d, "suggestion_filed".into())).copied().unwrap_or(0);
                let mut missing = vec![];
                if g < s.min_group_activities as i64 {
                    missing.push("group_activities".to_string());
                }
                if sg < s.min_suggestions as i64 {
                    missing.push("suggestions".to_string());
                }
                (!missing.is_empty()).then(|| BelowMinimum {
                    deputy_id: *d,
                    name: name(*d),
                    group_activities: g,
                    suggestions: sg,
                    missing,
                })
            })
            .collect();
        let scope = RankScope { pattern: format!("{path}%"), level: None, group: None };
        let this = super::rules::ranked(&super::store::ranks::top(c, year, &scope, i64::MAX)?);
        let eligible: Vec<&(i64, i64, usize)> = this.iter().filter(|x| !s.excluded_deputy_ids.contains(&x.0)).collect();
        let quota = (eligible.len() * s.excellent_quota_pct as usize).div_ceil(100);
        let cut = eligible.get(quota.saturating_sub(1)).map(|x| x.1);
        let excellent_candidates = eligible
            .iter()
            .take_while(|(_, pts, _)| quota > 0 && cut.is_some_and(|c| *pts >= c))
            .map(|(d, pts, rank)| Placed {
                deputy_id: *d,
                name: name(*d),
                points: *pts,
                rank: *rank,
                last_year_rank: None,
            })
            .collect();
        let last = super::rules::ranked(&super::store::ranks::top(c, year - 1, &scope, i64::MAX)?);
        let bottom = |list: &[(i64, i64, usize)]| -> HashMap<i64, usize> {
            let floor = list.len().saturating_sub(s.bottom_n as usize);
            let edge = list.get(floor).map(|x| x.1);
            list.iter().filter(|x| edge.is_some_and(|e| x.1 <= e)).map(|x| (x.0, x.2)).collect()
        };
        let (now_bottom, then_bottom) = (bottom(&this), bottom(&last));
        let bottom_two_years = this
            .iter()
            .filter(|x| now_bottom.contains_key(&x.0) && then_bottom.contains_key(&x.0))
            .map(|(d, pts, rank)| Placed {
                deputy_id: *d,
                name: name(*d),
                points: *pts,
                rank: *rank,
                last_year_rank: then_bottom.get(d).copied(),
            })
            .collect();
        Ok(Evaluation {
            year,
            settings: eff,
            deputies: members.len(),
            below_minimums,
            excellent_candidates,
            bottom_two_years,
        })
    })
    .await?;
    Ok(web::Json(v))
}
