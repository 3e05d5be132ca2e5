//! Who stands where to a link — the congress's staff, its member, the linked deputy (or a
//! deputy of the linked group) — and the link's view with its parties named.

use crate::auth::policy::{self, Action};
use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::liaison::model::{LinkView, Party};
use crate::liaison::store::{self, LinkRow};
use std::collections::HashMap;

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
    crate::org::staff_congress(c, p, region_id, action, ("region_id", "congress staff keep the liaison links"))
}

/// How the caller stands to the link, if at all.
pub fn stand(c: &mut AnyConnection, p: &Principal, l: &LinkRow) -> AppResult<Option<Stand>> {
    if policy::staff_over(p, &l.region_path, Action::Read) {
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

/// The names of the parties of `links`, looked up once: deputies in one query, the few staff
/// accounts and groups one by one.
#[derive(Default)]
pub struct Names {
    deputies: HashMap<i64, String>,
    accounts: HashMap<i64, String>,
    groups: HashMap<i64, String>,
}

impl Names {
    pub fn of(c: &mut AnyConnection, links: &[&LinkRow]) -> AppResult<Names> {
        let mut n = Names::default();
        let ids: Vec<i64> = links.iter().flat_map(|l| [l.member_deputy_id, l.deputy_id]).flatten().collect();
        n.deputies = crate::org::deputy_names(c, &ids)?.into_iter().collect();
        for l in links {
            if let Some(a) = l.member_account_id.filter(|a| !n.accounts.contains_key(a)) {
                let name = crate::auth::account_by_id(c, a)?.map(|x| x.display_name).unwrap_or_default();
                n.accounts.insert(a, name);
            }
            if let Some(g) = l.group_id.filter(|g| !n.groups.contains_key(g)) {
                n.groups.insert(g, crate::org::group_named(c, g)?.map(|x| x.0).unwrap_or_default());
            }
        }
        Ok(n)
    }

    fn party(map: &HashMap<i64, String>, kind: &str, id: i64) -> Party {
        Party { kind: kind.into(), id, name: map.get(&id).cloned().unwrap_or_default() }
    }

    pub fn member(&self, l: &LinkRow) -> Party {
        match (l.member_deputy_id, l.member_account_id) {
            (Some(d), _) => Self::party(&self.deputies, "deputy", d),
            (None, a) => Self::party(&self.accounts, "staff", a.unwrap_or_default()),
        }
    }

    pub fn target(&self, l: &LinkRow) -> Party {
        match (l.deputy_id, l.group_id) {
            (Some(d), _) => Self::party(&self.deputies, "deputy", d),
            (None, g) => Self::party(&self.groups, "group", g.unwrap_or_default()),
        }
    }
}

fn view(names: &Names, l: LinkRow, contacts_this_year: i64) -> LinkView {
    LinkView {
        id: l.id,
        region_id: l.region_id,
        term: l.term,
        member: names.member(&l),
        target: names.target(&l),
        yearly_target: l.yearly_target,
        contacts_this_year,
        status: l.status,
        created_at: crate::db::utc(l.created_at),
    }
}

/// The local year's bounds (YYYY-01-01, next YYYY-01-01).
pub fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}

/// Views of links with their contacts this year.
pub fn views(c: &mut AnyConnection, links: Vec<LinkRow>, year: i32) -> AppResult<Vec<LinkView>> {
    let ids: Vec<i64> = links.iter().map(|l| l.id).collect();
    let (from, to) = year_bounds(year);
    let counts: HashMap<i64, i64> = store::counts(c, &ids, (&from, &to))?.into_iter().collect();
    let names = Names::of(c, &links.iter().collect::<Vec<_>>())?;
    Ok(links
        .into_iter()
        .map(|l| {
            let n = counts.get(&l.id).copied().unwrap_or(0);
            view(&names, l, n)
        })
        .collect())
}
