//! The organization directory: regions (GB/T 2260 tree), deputies (people) and their seats,
//! groups, liaison stations and handling units, with the deputy CSV import. Other capabilities
//! use the lookups re-exported here, never the tables.

mod deputies;
mod import;
mod model;
mod posters;
mod regions;
mod routes;
pub mod rules;
mod scope;
mod seats;
mod stations;
mod store;
mod units;

pub use routes::register;

pub use model::RegionRef;
pub use scope::{
    deputies_not_held, group_members, group_named, group_path, narrowed_filter, seated_in_congress, staff_congress,
};
pub use store::deputies::{
    congress_path, count_deputies, deputies_in, deputies_matching, deputy_names, deputy_phones, deputy_region_paths,
    deputy_scopes, phone_index as deputy_phone_index, SeatBrief,
};
pub use store::public::{public_briefs, public_deputy, public_seats, station_public_code};
pub use store::seats::{active_seats_under, SeatUnder};
pub use store::stations::{
    all_station_geos, station_by_code, station_geo, station_places_by_codes, station_region, StationGeo,
};
pub use store::units::{unit, unit_region_path};
pub use store::{group_keys, region_by_code, region_ids_in, region_path, region_ref, scope_pattern, subtree_like};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::deputies::{
        insert_deputies, insert_deputy, insert_seat, insert_seats, seat_keys, NewDeputy, NewSeat,
    };
    pub use super::store::stations::{insert_station, insert_stations, NewStation};
    pub use super::store::units::insert_unit;
    pub use super::store::{insert_group, insert_region, region_by_code, RegionRow};
}
