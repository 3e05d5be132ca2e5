//! Handling units (承办单位): the offices that answer opinions and suggestions.

mod routes;

pub use routes::{create_unit, delete_unit, get_unit, list_units, update_unit};
