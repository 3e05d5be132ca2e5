//! Fixed contacts (代表联系群众): each deputy keeps a list of constituents they contact regularly
//! — name, phone (sealed like every constituent phone, shown in full only through an audited
//! read), the consent the person gave, the community and how often to visit — and logs their
//! visits; an issue raised at a visit can become an opinion case the deputy files. A contact
//! overdue against its frequency is a reminder to the deputy (once per due date); staff see
//! counts and overdue contacts.

mod jobs;
mod model;
mod routes;
mod rules;
mod store;

pub use jobs::{remind_overdue, worker};
pub use routes::register;
pub use store::{on_schedule, reseal as reseal_phones};

/// Bulk paths for the demo seeder: rows written as given, without the checks and audit of the
/// HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{add_visit, insert, NewContact, NewVisit};
}
