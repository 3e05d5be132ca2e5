//! Check-ins at liaison stations and events: rotating QR tokens, the kiosk page, geofencing with
//! coordinate-system conversion, review instead of silent rejection, idempotent and offline
//! submission and the duty roster; what earns points is noted in the ledger's inbox.

mod desk;
mod duty;
mod follow_up;
pub mod geo;
mod jobs;
mod leave;
mod model;
mod on_duty;
mod places;
mod qr;
mod record;
mod routes;
mod rules;
mod service;
mod sessions;
mod store;
mod venues;

pub use jobs::worker;

pub use routes::{register, register_hot};

pub use store::attendance::{attended as attended_event, attended_counts};
pub use store::presence::{checked_in_to, is_checked_in, present_at};
pub use store::reseal as reseal_positions;

pub use desk::{station_day, CheckinsOfDay, EventOfDay};
pub use duty::{summary as duty_summary, DutySummary};
pub use follow_up::close_stale;
pub use leave::excuse as excuse_absence;
pub use model::{CheckinView, SlotView};
pub use on_duty::day_bounds;
pub use on_duty::{on_duty_many, settle as settle_duty, slot as duty_slot, station_deputies, week as duty_week};
pub use places::svg as qr_svg;
pub use places::{existing_secret as existing_qr_secret, new_kiosk_key};
pub use qr::{issue as issue_qr, Place};
pub use record::{Checkins, Writes as CheckinWrites};
pub use rules::{decode_position, seal_position};
pub use sessions::{event_brief, event_code, event_window, open_session, verify_event_token, NewSession};
pub use venues::venue as meeting_venue;
pub use venues::{follow as follow_venues, VenueCache};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::meetings::{insert as insert_meeting, invite, NewMeeting};
    pub use super::store::roster::{assign, insert_slot};
    pub use super::store::{insert, insert_rows, of_deputies, NewCheckin};
}
