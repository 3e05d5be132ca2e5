//! Liaison stations (代表联络站/代表之家): their place, opening hours and printed code.

mod routes;

pub use routes::{create_station, delete_station, get_station, list_stations, update_station};
