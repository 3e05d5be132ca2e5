//! SQL of handling units (承办单位): who answers opinions and suggestions, placed in the region tree.

use crate::auth::policy::RegionFilter;
use crate::db::schema::{regions as r, units as u};
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::org::model::{UnitUpdate, UnitView};
use crate::org::scope_pattern;
use chrono::NaiveDateTime;
use diesel::prelude::*;

type UnitRow = (i64, i64, String, Option<String>, Option<String>, i64);

fn unit_view(x: UnitRow) -> UnitView {
    UnitView { id: x.0, region_id: x.1, name: x.2, contact_name: x.3, contact_phone: x.4, version: x.5 }
}

pub fn unit(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(UnitView, String)>> {
    let row: Option<(UnitRow, String)> = u::table
        .inner_join(r::table)
        .filter(u::id.eq(id))
        .select(((u::id, u::region_id, u::name, u::contact_name, u::contact_phone, u::version), r::path))
        .first(conn)
        .optional()?;
    Ok(row.map(|(x, p)| (unit_view(x), p)))
}

pub fn unit_region_path(conn: &mut AnyConnection, id: i64) -> AppResult<Option<String>> {
    Ok(u::table.inner_join(r::table).filter(u::id.eq(id)).select(r::path).first(conn).optional()?)
}

pub fn insert_unit(
    conn: &mut AnyConnection,
    region_id: i64,
    name: &str,
    contact_name: Option<&str>,
    contact_phone: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(u::table)
        .values((
            u::region_id.eq(region_id),
            u::name.eq(name),
            u::contact_name.eq(contact_name),
            u::contact_phone.eq(contact_phone),
            u::created_at.eq(now),
            u::updated_at.eq(now),
        ))
        .returning(u::id)
        .get_result(conn)?)
}

#[derive(AsChangeset)]
#[diesel(table_name = u)]
struct UnitChanges<'a> {
    name: Option<&'a str>,
    contact_name: Option<&'a str>,
    contact_phone: Option<&'a str>,
    version: i64,
    updated_at: NaiveDateTime,
}

pub fn update_unit(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    c: &UnitUpdate,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let ch = UnitChanges {
        name: c.name.as_deref().map(str::trim),
        contact_name: c.contact_name.as_deref(),
        contact_phone: c.contact_phone.as_deref(),
        version: version + 1,
        updated_at: now,
    };
    Ok(diesel::update(u::table.filter(u::id.eq(id)).filter(u::version.eq(version))).set(&ch).execute(conn)? == 1)
}

pub fn delete_unit(conn: &mut AnyConnection, id: i64) -> AppResult<()> {
    diesel::delete(u::table.find(id)).execute(conn)?;
    Ok(())
}

pub fn list_units(
    conn: &mut AnyConnection,
    scope: &RegionFilter,
    q: Option<&str>,
    after: i64,
    limit: i64,
) -> AppResult<Vec<UnitView>> {
    let mut query = u::table
        .filter(u::id.gt(after))
        .filter(u::region_id.eq_any(r::table.filter(r::path.like(scope_pattern(scope))).select(r::id)))
        .order(u::id)
        .limit(limit)
        .select((u::id, u::region_id, u::name, u::contact_name, u::contact_phone, u::version))
        .into_boxed();
    if let Some(t) = q {
        query = query.filter(u::name.like(format!("%{}%", t.replace('%', ""))));
    }
    Ok(query.load::<UnitRow>(conn)?.into_iter().map(unit_view).collect())
}
