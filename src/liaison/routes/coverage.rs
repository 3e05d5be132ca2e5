//! The coverage of a congress's deputies by its active links: who is linked (directly or through
//! a group) and who is not, links below their contact target this year, members below their
//! count.

use super::access::{self, year_bounds};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::liaison::model::{Coverage, MemberBelow, Party};
use crate::liaison::rules::{self, Linked, DEFAULT_MIN_LINKS};
use crate::liaison::store::{self, LinkRow};
use std::collections::HashMap;

/// The deputies the coverage is taken over: the congress's own, or those of the congresses
/// directly below it.
fn population(c: &mut AnyConnection, path: &str, which: &str) -> AppResult<Vec<i64>> {
    if which == "own" {
        return crate::org::seated_in_congress(c, path);
    }
    let near = crate::org::deputies_matching(c, path, None, None, None)?;
    let seats = crate::org::deputy_scopes(c, &near)?;
    Ok(near
        .into_iter()
        .filter(|d| {
            seats.get(d).is_some_and(|s| {
                s.iter().any(|x| x.status == "active" && x.path != path && rules::own_or_child(&x.path, path))
            })
        })
        .collect())
}

pub fn build(
    c: &mut AnyConnection,
    path: &str,
    links: &[LinkRow],
    (which, min_links): (&str, Option<usize>),
    year: i32,
) -> AppResult<Coverage> {
    let active: Vec<&LinkRow> = links.iter().filter(|l| l.status == "active").collect();
    let ids: Vec<i64> = active.iter().map(|l| l.id).collect();
    let (from, to) = year_bounds(year);
    let counts: HashMap<i64, i64> = store::counts(c, &ids, (&from, &to))?.into_iter().collect();
    let mut groups: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut linked = vec![];
    for l in &active {
        let deputies = match (l.deputy_id, l.group_id) {
            (Some(d), _) => vec![d],
            (None, Some(g)) => match groups.get(&g) {
                Some(m) => m.clone(),
                None => {
                    let m = crate::org::group_members(c, g)?;
                    groups.insert(g, m.clone());
                    m
                }
            },
            _ => vec![],
        };
        linked.push(Linked {
            link: l.id,
            member: l.member_key.clone(),
            deputies,
            yearly_target: i64::from(l.yearly_target),
            contacts_this_year: counts.get(&l.id).copied().unwrap_or(0),
        });
    }
    let people = population(c, path, which)?;
    let cov = rules::coverage(&people, &linked, min_links.unwrap_or(DEFAULT_MIN_LINKS));
    let names: HashMap<i64, String> =
        crate::org::deputy_names(c, &cov.unlinked.iter().copied().take(1_000).collect::<Vec<_>>())?
            .into_iter()
            .collect();
    let below: Vec<(&LinkRow, usize)> = cov
        .members_below
        .iter()
        .filter_map(|(key, n)| active.iter().find(|l| &l.member_key == key).map(|l| (*l, *n)))
        .collect();
    let member_names = access::Names::of(c, &below.iter().map(|x| x.0).collect::<Vec<_>>())?;
    let members_below = below.iter().map(|(l, n)| MemberBelow { member: member_names.member(l), linked: *n }).collect();
    Ok(Coverage {
        population: which.to_string(),
        year,
        deputies: people.len(),
        linked: crate::http::rate(cov.linked.len() as i64, people.len() as i64),
        unlinked: cov
            .unlinked
            .iter()
            .take(1_000)
            .map(|id| Party { kind: "deputy".into(), id: *id, name: names.get(id).cloned().unwrap_or_default() })
            .collect(),
        below_target: cov.below_target,
        members_below_count: members_below,
    })
}

/// The deputies of congresses under `path` linked by an active link (this term's), directly or
/// through their group.
pub fn linked_under(c: &mut AnyConnection, path: &str) -> AppResult<std::collections::HashSet<i64>> {
    let mut out = std::collections::HashSet::new();
    for (deputy, group) in store::targets_under(c, path)? {
        match (deputy, group) {
            (Some(d), _) => {
                out.insert(d);
            }
            (None, Some(g)) => out.extend(crate::org::group_members(c, g)?),
            _ => {}
        }
    }
    Ok(out)
}
