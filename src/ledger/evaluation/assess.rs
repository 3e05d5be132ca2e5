//! The annual evaluation: deputies below the congress's minimums (group activities,
//! suggestions), candidates for excellent deputy by a quota of the ranking (with exclusions, e.g.
//! leaders do not compete), and the bottom of the ranking two years running. Settings per
//! congress, inherited like the rulebook.

use super::model::{BelowMinimum, EffectiveSettings, Evaluation, EvaluationSettings, Placed};
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code};
use crate::ledger::store::evaluation as store;
use crate::ledger::store::ranks::RankScope;
use std::collections::HashMap;

pub fn load(c: &mut AnyConnection, path: &str) -> AppResult<EffectiveSettings> {
    let mut chain = crate::ledger::rules::path_ids(path);
    chain.reverse();
    chain.push(0);
    let rows = store::settings_of(c, &chain)?;
    let found = chain.iter().find_map(|r| rows.iter().find(|x| x.0 == *r));
    Ok(match found {
        None => EffectiveSettings { from_region_id: None, settings: EvaluationSettings::default() },
        Some((r, g, s, q, b, ex, due)) => EffectiveSettings {
            from_region_id: Some(*r),
            settings: EvaluationSettings {
                min_group_activities: *g,
                min_suggestions: *s,
                excellent_quota_pct: *q,
                bottom_n: *b,
                excluded_deputy_ids: ex.split(',').filter_map(|x| x.parse().ok()).collect(),
                duty_report_due_year: *due,
            },
        },
    })
}

/// The year by which the congress at `path` requires a duty report in the term, if it does.
pub fn duty_report_due_year(c: &mut AnyConnection, path: &str) -> AppResult<Option<i32>> {
    Ok(load(c, path)?.settings.duty_report_due_year)
}

/// The group activities a year the congress at `path` asks of each deputy.
pub fn min_group_activities(c: &mut AnyConnection, path: &str) -> AppResult<i32> {
    Ok(load(c, path)?.settings.min_group_activities)
}

/// The paths of the congresses (`/` for the installation) whose own settings require a duty
/// report by `year`; a congress below one of them may set another year of its own.
pub fn duty_report_due_in(c: &mut AnyConnection, year: i32) -> AppResult<Vec<String>> {
    let mut out = vec![];
    for r in store::due_in(c, year)? {
        match r {
            0 => out.push("/".to_string()),
            id => out.extend(crate::org::region_path(c, id)?),
        }
    }
    Ok(out)
}

/// The congress (id, path) named, checked against the caller's scope; the caller's own otherwise.
pub fn congress(c: &mut AnyConnection, p: &Principal, region: Option<i64>, action: Action) -> AppResult<(i64, String)> {
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

/// The evaluation of `year` for the congress named (or the caller's).
pub fn evaluate(c: &mut AnyConnection, p: &Principal, region: Option<i64>, year: i32) -> AppResult<Evaluation> {
    let (_, path) = congress(c, p, region, Action::Read)?;
    let eff = load(c, &path)?;
    let s = eff.settings.clone();
    let members = crate::org::deputies_in(c, &path)?;
    let names: HashMap<i64, String> = crate::org::deputy_names(c, &members)?.into_iter().collect();
    let name = |d: i64| names.get(&d).cloned().unwrap_or_default();
    let n = store::standing_counts(c, year, &["group_activity_attended", "suggestion_filed"])?;
    // From the due year on, a report delivered in the five years up to this one is required.
    let reported = match s.duty_report_due_year {
        Some(due) if year >= due => Some(crate::reports::delivered_between(c, &members, year - 4, year)?),
        _ => None,
    };
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
            if reported.as_ref().is_some_and(|r| !r.contains(d)) {
                missing.push("duty_report".to_string());
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
    let this = crate::ledger::rules::ranked(&crate::ledger::store::ranks::top(c, year, &scope, i64::MAX)?);
    let eligible: Vec<&(i64, i64, usize)> = this.iter().filter(|x| !s.excluded_deputy_ids.contains(&x.0)).collect();
    let quota = (eligible.len() * s.excellent_quota_pct as usize).div_ceil(100);
    let cut = eligible.get(quota.saturating_sub(1)).map(|x| x.1);
    let excellent_candidates = eligible
        .iter()
        .take_while(|(_, pts, _)| quota > 0 && cut.is_some_and(|c| *pts >= c))
        .map(|(d, pts, rank)| Placed { deputy_id: *d, name: name(*d), points: *pts, rank: *rank, last_year_rank: None })
        .collect();
    let last = crate::ledger::rules::ranked(&crate::ledger::store::ranks::top(c, year - 1, &scope, i64::MAX)?);
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
}
