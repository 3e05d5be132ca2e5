//! Who stands where to a link — the congress's staff, its member, the linked deputy (or a
//! deputy of the linked group) — and the link's view with its parties named.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code};
use crate::liaison::model::{LinkView, Party};
use crate::liaison::store::{self, LinkRow};

/// How the caller stands to a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stand {
    Staff,
    Member,
    Deputy,
}

/// The congress (id, path) for the caller's staff work: `region_id` or their own; 403 for anyone
/// but staff, 404 outside their scope.
pub fn congress(
    c: &mut AnyConnection,
    p: &Principal,
    region_id: Option<i64>,
    action: Action,
) -> AppResult<(i64, String)> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff keep the liaison links"));
    }
    let id =
        region_id.or(p.region_id).ok_or_else(|| AppError::invalid_field("region_id", "required", "the congress"))?;
    let path = crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?;
    policy::authorize(p, action, &Target::new(Kind::Region, path.clone()))?;
    Ok((id, path))
}

/// How the caller stands to the link, if at all.
pub fn stand(c: &mut AnyConnection, p: &Principal, l: &LinkRow) -> AppResult<Option<Stand>> {
    if p.role == Role::Admin
        && policy::authorize(p, Action::Read, &Target::new(Kind::Region, l.region_path.clone())).is_ok()
    {
        return Ok(Some(Stand::Staff));
    }
    if l.member_account_id == Some(p.account_id) || (p.deputy_id.is_some() && l.member_deputy_id == p.deputy_id) {
        return Ok(Some(Stand::Member));
    }
    let Some(d) = p.deputy_id else { return Ok(None) };
    if l.deputy_id == Some(d) {
        return Ok(Some(Stand::Deputy));
    }
    match l.group_id {
        Some(g) if crate::org::group_members(c, g)?.contains(&d) => Ok(Some(Stand::Deputy)),
        _ => Ok(None),
    }
}

/// The link and how the caller stands to it (404 when not at all).
pub fn open(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(LinkRow, Stand)> {
    let l = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    let s = stand(c, p, &l)?.ok_or_else(AppError::not_found)?;
    Ok((l, s))
}

fn deputy(c: &mut AnyConnection, id: i64) -> AppResult<Party> {
    let name = crate::org::deputy_names(c, &[id])?.into_iter().next().map(|x| x.1).unwrap_or_default();
    Ok(Party { kind: "deputy".into(), id, name })
}

pub fn member(c: &mut AnyConnection, l: &LinkRow) -> AppResult<Party> {
    match (l.member_deputy_id, l.member_account_id) {
        (Some(d), _) => deputy(c, d),
        (None, a) => {
            let id = a.unwrap_or_default();
            let name = crate::auth::account_by_id(c, id)?.map(|x| x.display_name).unwrap_or_default();
            Ok(Party { kind: "staff".into(), id, name })
        }
    }
}

pub fn target(c: &mut AnyConnection, l: &LinkRow) -> AppResult<Party> {
    match (l.deputy_id, l.group_id) {
        (Some(d), _) => deputy(c, d),
        (None, g) => {
            let id = g.unwrap_or_default();
            let name = crate::org::group_named(c, id)?.map(|x| x.0).unwrap_or_default();
            Ok(Party { kind: "group".into(), id, name })
        }
    }
}

pub fn view(c: &mut AnyConnection, l: LinkRow, contacts_this_year: i64) -> AppResult<LinkView> {
    Ok(LinkView {
        id: l.id,
        region_id: l.region_id,
        term: l.term,
        member: member(c, &l)?,
        target: target(c, &l)?,
        yearly_target: l.yearly_target,
        contacts_this_year,
        status: l.status,
        created_at: crate::db::utc(l.created_at),
    })
}

/// The local year's bounds (YYYY-01-01, next YYYY-01-01).
pub fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}

/// Views of links with their contacts this year.
pub fn views(c: &mut AnyConnection, links: Vec<LinkRow>, year: i32) -> AppResult<Vec<LinkView>> {
    let ids: Vec<i64> = links.iter().map(|l| l.id).collect();
    let (from, to) = year_bounds(year);
    let counts: std::collections::HashMap<i64, i64> = store::counts(c, &ids, (&from, &to))?.into_iter().collect();
    links
        .into_iter()
        .map(|l| {
            let n = counts.get(&l.id).copied().unwrap_or(0);
            view(c, l, n)
        })
        .collect()
}
