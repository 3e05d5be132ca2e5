//! Who a notice reaches: a union of region subtrees, seat levels, groups, stations (their
//! rosters), terms and named deputies, minus exclusions. Every part must lie in the publisher's
//! scope (403 naming the part); levels and terms select inside the publisher's scope.

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Deputies with a seat in these regions' subtrees.
    #[serde(default)]
    pub regions: Vec<i64>,
    /// Deputies with a seat of these levels (national … township), in the publisher's scope.
    #[serde(default)]
    pub levels: Vec<String>,
    /// Members of these deputy groups.
    #[serde(default)]
    pub groups: Vec<i64>,
    /// Deputies on these stations' reception rosters.
    #[serde(default)]
    pub stations: Vec<i64>,
    /// Deputies with a seat of these terms (届), in the publisher's scope.
    #[serde(default)]
    pub terms: Vec<i32>,
    /// Named deputies.
    #[serde(default)]
    pub deputies: Vec<i64>,
    /// Deputies left out whatever else selects them.
    #[serde(default)]
    pub exclude: Vec<i64>,
}

/// A part outside the publisher's scope answers exactly like a missing record.
fn out_of_scope(field: String) -> AppError {
    unknown(field)
}

fn unknown(field: String) -> AppError {
    AppError::invalid_field(&field, "unknown", "no such record")
}

fn inside(scope: &str, path: &str) -> bool {
    path.starts_with(scope)
}

/// The deputies an audience reaches for a publisher scoped to `scope` (a region path; `/` = the
/// installation), sorted and distinct. 422 for parts that are unknown or outside the scope (one
/// answer for both, naming the part), bad levels and an audience that reaches no one
/// (`empty_audience`).
pub fn resolve(c: &mut AnyConnection, scope: &str, a: &Audience) -> AppResult<Vec<i64>> {
    let scope = scope.to_string();
    let mut out: BTreeSet<i64> = BTreeSet::new();
    for (i, id) in a.regions.iter().enumerate() {
        let path = crate::org::region_path(c, *id)?.ok_or_else(|| unknown(format!("audience.regions[{i}]")))?;
        if !inside(&scope, &path) {
            return Err(out_of_scope(format!("audience.regions[{i}]")));
        }
        out.extend(crate::org::deputies_matching(c, &path, None, None, None)?);
    }
    for (i, l) in a.levels.iter().enumerate() {
        if !crate::org::rules::DEPUTY_LEVELS.contains(&l.as_str()) {
            return Err(AppError::invalid_field(
                &format!("audience.levels[{i}]"),
                "invalid_value",
                crate::org::rules::DEPUTY_LEVELS.join(", "),
            ));
        }
        out.extend(crate::org::deputies_matching(c, &scope, Some(l), None, None)?);
    }
    for t in &a.terms {
        out.extend(crate::org::deputies_matching(c, &scope, None, Some(*t), None)?);
    }
    for (i, g) in a.groups.iter().enumerate() {
        let path = crate::org::group_path(c, *g)?.ok_or_else(|| unknown(format!("audience.groups[{i}]")))?;
        if !inside(&scope, &path) {
            return Err(out_of_scope(format!("audience.groups[{i}]")));
        }
        out.extend(crate::org::deputies_matching(c, "/", None, None, Some(*g))?);
    }
    for (i, s) in a.stations.iter().enumerate() {
        let (_, path) = crate::org::station_region(c, *s)?.ok_or_else(|| unknown(format!("audience.stations[{i}]")))?;
        if !inside(&scope, &path) {
            return Err(out_of_scope(format!("audience.stations[{i}]")));
        }
        out.extend(crate::checkins::station_deputies(c, *s)?);
    }
    for (i, d) in a.deputies.iter().enumerate() {
        let paths =
            crate::org::deputy_region_paths(c, *d)?.ok_or_else(|| unknown(format!("audience.deputies[{i}]")))?;
        if !paths.iter().any(|x| inside(&scope, x)) {
            return Err(out_of_scope(format!("audience.deputies[{i}]")));
        }
        out.insert(*d);
    }
    // Exclusions in one query: each must be a deputy in the publisher's scope.
    let excluded = crate::org::deputy_scopes(c, &a.exclude)?;
    for (i, x) in a.exclude.iter().enumerate() {
        let seats = excluded.get(x).ok_or_else(|| unknown(format!("audience.exclude[{i}]")))?;
        if !seats.iter().any(|s| inside(&scope, &s.path)) {
            return Err(out_of_scope(format!("audience.exclude[{i}]")));
        }
        out.remove(x);
    }
    if out.is_empty() {
        return Err(AppError::invalid_field("audience", "empty_audience", "the audience reaches no deputy"));
    }
    Ok(out.into_iter().collect())
}
