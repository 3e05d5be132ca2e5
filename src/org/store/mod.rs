//! SQL for regions and groups, plus the small lookups other capabilities call (region paths,
//! refs, subtree ids).

pub(in crate::org) mod deputies;
pub(in crate::org) mod public;
pub(in crate::org) mod seats;
pub(in crate::org) mod stations;
pub(in crate::org) mod units;

use crate::auth::policy::RegionFilter;
use crate::db::schema::{deputy_groups as g, regions as r};
use crate::db::{utc, AnyConnection};
use crate::error::AppResult;
use crate::org::model::{GroupView, RegionRef, RegionView};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct RegionRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub level: String,
    pub path: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl From<RegionRow> for RegionView {
    fn from(x: RegionRow) -> Self {
        RegionView {
            id: x.id,
            code: x.code,
            name: x.name,
            parent_id: x.parent_id,
            level: x.level,
            version: x.version,
            created_at: utc(x.created_at),
            updated_at: utc(x.updated_at),
        }
    }
}

/// `LIKE` pattern of a subtree (paths hold only digits and `/`, so no escaping is needed).
pub fn subtree_like(path: &str) -> String {
    format!("{path}%")
}

/// `LIKE` pattern of the paths a filter admits (every path starts with `/`).
pub fn scope_pattern(f: &RegionFilter) -> String {
    match f {
        RegionFilter::All => "/%".into(),
        RegionFilter::Subtree(p) => subtree_like(p),
    }
}

pub fn region(conn: &mut AnyConnection, id: i64) -> AppResult<Option<RegionRow>> {
    Ok(r::table.find(id).first::<RegionRow>(conn).optional()?)
}

pub fn region_by_code(conn: &mut AnyConnection, code: &str) -> AppResult<Option<RegionRow>> {
    Ok(r::table.filter(r::code.eq(code)).first::<RegionRow>(conn).optional()?)
}

pub fn region_path(conn: &mut AnyConnection, id: i64) -> AppResult<Option<String>> {
    Ok(r::table.find(id).select(r::path).first::<String>(conn).optional()?)
}

pub fn region_ref(conn: &mut AnyConnection, id: i64) -> AppResult<Option<RegionRef>> {
    let row: Option<(i64, String, String)> =
        r::table.find(id).select((r::id, r::code, r::name)).first(conn).optional()?;
    Ok(row.map(|(id, code, name)| RegionRef { id, code, name }))
}

pub fn region_ids_in(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<i64>> {
    Ok(r::table.filter(r::path.like(subtree_like(path))).select(r::id).load(conn)?)
}

/// Every region admitted by the filter: (id, code, level, path).
pub fn regions_in(conn: &mut AnyConnection, f: &RegionFilter) -> AppResult<Vec<(i64, String, String, String)>> {
    let mut q = r::table.select((r::id, r::code, r::level, r::path)).into_boxed();
    if let RegionFilter::Subtree(p) = f {
        q = q.filter(r::path.like(subtree_like(p)));
    }
    Ok(q.load(conn)?)
}

pub fn insert_region(
    conn: &mut AnyConnection,
    code: &str,
    name: &str,
    parent: Option<&RegionRow>,
    level: &str,
    now: NaiveDateTime,
) -> AppResult<RegionRow> {
    let id: i64 = diesel::insert_into(r::table)
        .values((
            r::code.eq(code),
            r::name.eq(name),
            r::parent_id.eq(parent.map(|p| p.id)),
            r::level.eq(level),
            r::path.eq(""),
            r::created_at.eq(now),
            r::updated_at.eq(now),
        ))
        .returning(r::id)
        .get_result(conn)?;
    let path = format!("{}{id}/", parent.map(|p| p.path.as_str()).unwrap_or("/"));
    diesel::update(r::table.find(id)).set(r::path.eq(&path)).execute(conn)?;
    Ok(r::table.find(id).first(conn)?)
}

/// Renames when the version still matches; false when someone changed it first.
pub fn rename_region(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(r::table.filter(r::id.eq(id)).filter(r::version.eq(version)))
        .set((r::name.eq(name), r::version.eq(version + 1), r::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

pub struct RegionListFilter {
    pub scope: RegionFilter,
    pub parent_id: Option<i64>,
    pub level: Option<String>,
    pub q: Option<String>,
}

pub fn list_regions(
    conn: &mut AnyConnection,
    f: &RegionListFilter,
    after: i64,
    limit: i64,
) -> AppResult<Vec<RegionRow>> {
    let mut q = r::table.filter(r::id.gt(after)).order(r::id).limit(limit).into_boxed();
    if let RegionFilter::Subtree(p) = &f.scope {
        q = q.filter(r::path.like(subtree_like(p)));
    }
    if let Some(pid) = f.parent_id {
        q = q.filter(r::parent_id.eq(pid));
    }
    if let Some(l) = &f.level {
        q = q.filter(r::level.eq(l.clone()));
    }
    if let Some(s) = &f.q {
        q = q.filter(r::name.like(format!("%{}%", s.replace('%', ""))));
    }
    Ok(q.load(conn)?)
}

type GroupRow = (i64, i64, String, i32, i64);

fn group_view(x: GroupRow) -> GroupView {
    GroupView { id: x.0, region_id: x.1, name: x.2, term: x.3, version: x.4 }
}

pub fn group(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(GroupView, String)>> {
    let row: Option<(GroupRow, String)> = g::table
        .inner_join(r::table)
        .filter(g::id.eq(id))
        .select(((g::id, g::region_id, g::name, g::term, g::version), r::path))
        .first(conn)
        .optional()?;
    Ok(row.map(|(x, p)| (group_view(x), p)))
}

pub fn insert_group(
    conn: &mut AnyConnection,
    region_id: i64,
    name: &str,
    term: i32,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(g::table)
        .values((
            g::region_id.eq(region_id),
            g::name.eq(name),
            g::term.eq(term),
            g::created_at.eq(now),
            g::updated_at.eq(now),
        ))
        .returning(g::id)
        .get_result(conn)?)
}

pub fn rename_group(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(g::table.filter(g::id.eq(id)).filter(g::version.eq(version)))
        .set((g::name.eq(name), g::version.eq(version + 1), g::updated_at.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn delete_group(conn: &mut AnyConnection, id: i64) -> AppResult<()> {
    diesel::delete(g::table.find(id)).execute(conn)?;
    Ok(())
}

pub fn list_groups(
    conn: &mut AnyConnection,
    scope: &RegionFilter,
    term: Option<i32>,
    q: Option<&str>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<GroupView>> {
    let mut query = g::table
        .filter(g::id.gt(after))
        .filter(g::region_id.eq_any(r::table.filter(r::path.like(scope_pattern(scope))).select(r::id)))
        .order(g::id)
        .limit(limit)
        .select((g::id, g::region_id, g::name, g::term, g::version))
        .into_boxed();
    if let Some(t) = term {
        query = query.filter(g::term.eq(t));
    }
    if let Some(s) = q {
        query = query.filter(g::name.like(format!("%{}%", s.replace('%', ""))));
    }
    Ok(query.load::<GroupRow>(conn)?.into_iter().map(group_view).collect())
}

/// (region_id, term, name) → group id, for the groups admitted by the filter (CSV import).
pub fn group_keys(conn: &mut AnyConnection, scope: &RegionFilter) -> AppResult<Vec<(i64, i32, String, i64)>> {
    Ok(g::table
        .filter(g::region_id.eq_any(r::table.filter(r::path.like(scope_pattern(scope))).select(r::id)))
        .select((g::region_id, g::term, g::name, g::id))
        .load(conn)?)
}
