//! A deputy's seats (one per congress and term): adding one and changing one.

mod routes;

pub use routes::{add_seat, update_seat};
