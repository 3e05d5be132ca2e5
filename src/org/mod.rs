//! The organization directory: regions (GB/T 2260 tree), deputies (people) and their seats,
//! groups, liaison stations and handling units, with the deputy CSV import. Other capabilities
//! use the lookups re-exported here, never the tables.

mod deputy_model;
mod deputy_routes;
mod deputy_views;
mod import;
mod import_routes;
mod model;
mod routes;
pub mod rules;
mod seat_routes;
mod station_routes;
mod store;

pub use routes::register;

pub use model::RegionRef;
pub use store::deputies::{
    congress_path, count_deputies, deputies_in, deputies_matching, deputy_names, deputy_phones, deputy_region_paths,
    deputy_scopes, public_briefs, public_deputy, public_seats, SeatBrief,
};
pub use store::stations::{
    all_station_geos, station_by_code, station_geo, station_places_by_codes, station_region, unit, unit_region_path,
    StationGeo,
};
pub use store::{region_ids_in, region_path, region_ref, scope_pattern, subtree_like};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::deputies::{insert_deputies, insert_deputy, insert_seat, insert_seats, NewDeputy, NewSeat};
    pub use super::store::stations::{insert_station, insert_stations, insert_unit, NewStation};
    pub use super::store::{insert_group, insert_region, region_by_code, RegionRow};
}

use crate::auth::policy::{self, Kind, RegionFilter};
use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};

/// The ids among `ids` that name no deputy the caller holds ([`policy::holds_deputy`]): missing
/// ones and those outside the caller's scope alike, so callers answer both the same way.
pub fn deputies_not_held(conn: &mut AnyConnection, p: &Principal, ids: &[i64]) -> AppResult<Vec<i64>> {
    let scopes = deputy_scopes(conn, ids)?;
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
    Ok(store::group(conn, id)?.map(|g| g.1))
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
    let path = store::region_path(conn, id)?.ok_or_else(AppError::not_found)?;
    match &base {
        RegionFilter::Subtree(s) if !path.starts_with(s.as_str()) => Err(AppError::not_found()),
        _ => Ok(RegionFilter::Subtree(path)),
    }
}
