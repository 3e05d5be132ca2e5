//! Deputies (the person): their records, public and full profiles, and the audited read of a
//! full phone number.

mod model;
mod record;
mod routes;
mod views;

pub use model::{DeputyView, ImportResult, SeatInput, SeatUpdate};
pub use record::{bump, insert_seat, load, respond};
pub use routes::{create, get_one, list, read_phone, update};
