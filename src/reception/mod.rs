//! The cloud reception room (云接待室): constituents reach deputies. Constituents sign in with a
//! phone number and an SMS code (consent to the privacy notice kept with its version), find
//! stations and deputies by their printed codes, leave opinions and follow them by ticket; staff
//! accept and sort them, deputies answer, handling units reply within deadlines counted in
//! working days, and the constituent rates the outcome. Appointments book a reception with a
//! deputy on duty; statistics show each rate beside its volume.

mod appointments;
mod cases;
mod constituents;
mod desk;
mod jobs;
mod model;
mod routes;
mod rules;
mod store;

pub use jobs::worker;

pub use routes::{register, register_hot};

pub use store::handling::constituent_phones;
pub use store::intakes::{count_linked as cases_filed_during, reseal as reseal_walk_in_names};
pub use store::opinions::brief as opinion_brief;
pub use store::reseal as reseal_phones;

pub use appointments::reminders::remind as remind_appointments;
pub use appointments::routes::workdays::set_day as set_workday;
pub use appointments::station::{holds_confirmed as holds_confirmed_booking, on_roster_change as rebook_for_roster};
pub use appointments::station::{RosterChange, Texting as BookingTexts};
pub use cases::cited::note_cited as note_opinion_cited;
pub use cases::filing::{Filings, Writes as FilingWrites};
pub use cases::raised::{prepare as prepare_raise, raise as raise_opinion, Raised};
pub use cases::routes::forwarding::remind_overdue as remind_overdue_cases;
pub use cases::routes::opinions::constituent as constituent_of;
pub use cases::routes::stats::By as StatsBy;
pub use cases::texts::text_milestones;
pub use cases::walk_ins::{collect as collect_opinion, Collected};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::username;
}
