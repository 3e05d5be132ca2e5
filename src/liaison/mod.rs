//! Liaison links (双联系): a congress's staff link, for a term, a standing-committee member (a
//! deputy of that congress or a staff account of it) or a higher-level deputy with a deputy or a
//! deputy group of that congress or of a congress directly below, with a yearly contact target;
//! either side logs its contacts; staff see the coverage — deputies not linked, links below
//! their target this year, members below their count.

mod model;
mod routes;
mod rules;
mod store;

pub use routes::coverage::linked_under;
pub use routes::register;
pub use store::contacted_under;

/// Bulk paths for the demo seeder: rows written as given, without the checks and audit of the
/// HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{add_contact, insert, NewContact, NewLink};
}
