//! The directory's route table: every sub-domain's handlers, in the order actix-web tries them.

use super::{deputies, import, posters, regions, seats, stations, units};
use crate::platform::route_table::RouteTable;

/// Registers the org routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(regions::create_region)
        .add(regions::list_regions)
        .add(regions::get_region)
        .add(regions::update_region)
        .add(regions::create_group)
        .add(regions::list_groups)
        .add(regions::get_group)
        .add(regions::update_group)
        .add(regions::delete_group)
        .add(stations::create_station)
        .add(stations::list_stations)
        .add(stations::get_station)
        .add(stations::update_station)
        .add(stations::delete_station)
        .add(posters::poster)
        .add(posters::card)
        .add(units::create_unit)
        .add(units::list_units)
        .add(units::get_unit)
        .add(units::update_unit)
        .add(units::delete_unit)
        // The import route comes before `/deputies/{id}` so "import" is not taken for an id.
        .add(import::import)
        .add(deputies::create)
        .add(deputies::list)
        .add(deputies::get_one)
        .add(deputies::update)
        .add(seats::add_seat)
        .add(seats::update_seat)
        .add(deputies::read_phone);
}
