//! All SQL of the open-data settings: whether a congress publishes its duty data.

use crate::db::schema::open_data_settings as o;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Sets a congress's choice.
pub fn set(c: &mut AnyConnection, region: i64, publish: bool, by: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::delete(o::table.find(region)).execute(c)?;
    diesel::insert_into(o::table)
        .values((o::region_id.eq(region), o::publish.eq(publish), o::updated_by.eq(by), o::updated_at.eq(now)))
        .execute(c)?;
    Ok(())
}

/// (publish, updated at) of a congress (none: never set, so not published).
pub fn get(c: &mut AnyConnection, region: i64) -> AppResult<Option<(bool, NaiveDateTime)>> {
    Ok(o::table.find(region).select((o::publish, o::updated_at)).first(c).optional()?)
}

/// Which of `regions` publish.
pub fn publishing(c: &mut AnyConnection, regions: &[i64]) -> AppResult<Vec<i64>> {
    Ok(o::table
        .filter(o::region_id.eq_any(regions.to_vec()))
        .filter(o::publish.eq(true))
        .select(o::region_id)
        .load(c)?)
}
