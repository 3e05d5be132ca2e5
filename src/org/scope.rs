//! The caller's reach in the directory: which deputies they hold, a group's region, and a list
//! filter narrowed to a region's subtree.

use crate::auth::policy::{self, Kind, RegionFilter};
use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};

/// The ids among `ids` that name no deputy the caller holds ([`policy::holds_deputy`]): missing
/// ones and those outside the caller's scope alike, so callers answer both the same way.
pub fn deputies_not_held(conn: &mut AnyConnection, p: &Principal, ids: &[i64]) -> AppResult<Vec<i64>> {
    let scopes = super::deputy_scopes(conn, ids)?;
    let mut out: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| {
            let paths: Vec<String> =
                scopes.get(id).map(|s| s.iter().map(|b| b.path.clone()).collect()).unwrap_or_default();
            !scopes.contains_key(id) || !policy::holds_deputy(p, &paths)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The region path of a deputy group (None when it does not exist).
pub fn group_path(conn: &mut AnyConnection, id: i64) -> AppResult<Option<String>> {
    Ok(super::store::group(conn, id)?.map(|g| g.1))
}

/// The list filter for `kind`, narrowed to `region_id`'s subtree when given (404 when that region
/// is missing or outside the caller's scope).
pub fn narrowed_filter(
    conn: &mut AnyConnection,
    p: &Principal,
    kind: Kind,
    region_id: Option<i64>,
) -> AppResult<RegionFilter> {
    let base = policy::list_filter(p, kind)?;
    let Some(id) = region_id else { return Ok(base) };
    let path = super::store::region_path(conn, id)?.ok_or_else(AppError::not_found)?;
    match &base {
        RegionFilter::Subtree(s) if !path.starts_with(s.as_str()) => Err(AppError::not_found()),
        _ => Ok(RegionFilter::Subtree(path)),
    }
}

/// The deputies seated in office in the congress at `path` itself (not in the congresses below),
/// by id.
pub fn seated_in_congress(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<i64>> {
    let near = super::deputies_matching(conn, path, None, None, None)?;
    let seats = super::deputy_scopes(conn, &near)?;
    let mut ids: Vec<i64> = near
        .into_iter()
        .filter(|d| seats.get(d).is_some_and(|s| s.iter().any(|x| x.path == path && x.status == "active")))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// A group's name and its region's path.
pub fn group_named(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(String, String)>> {
    Ok(super::store::group(conn, id)?.map(|(g, path)| (g.name, path)))
}

/// The deputies with a seat in office in a group, by id.
pub fn group_members(conn: &mut AnyConnection, group: i64) -> AppResult<Vec<i64>> {
    let all = super::deputies_matching(conn, "/", None, None, Some(group))?;
    let seats = super::deputy_scopes(conn, &all)?;
    Ok(all
        .into_iter()
        .filter(|d| seats.get(d).is_some_and(|s| s.iter().any(|x| x.group_id == Some(group) && x.status == "active")))
        .collect())
}

/// The congress (id, path) a staff request names — `region` or the caller's own — for congress
/// staff only: 403 with `refusal` for anyone else, 422 when none is named, 404 outside the
/// caller's scope.
pub fn staff_congress(
    conn: &mut AnyConnection,
    p: &Principal,
    region: Option<i64>,
    action: policy::Action,
    (field, refusal): (&str, &'static str),
) -> AppResult<(i64, String)> {
    if p.role != crate::auth::Role::Admin {
        return Err(AppError::forbidden(crate::error::Code::Forbidden, refusal));
    }
    let id = region.or(p.region_id).ok_or_else(|| AppError::invalid_field(field, "required", "the congress"))?;
    let path = super::region_path(conn, id)?.ok_or_else(AppError::not_found)?;
    policy::authorize(p, action, &policy::Target::new(Kind::Region, path.clone()))?;
    Ok((id, path))
}
