//! Check-ins at liaison stations and events: rotating QR tokens, the kiosk page, geofencing with
//! coordinate-system conversion, review instead of silent rejection, idempotent and offline
//! submission and the duty roster; what earns points is noted in the ledger's inbox.

mod duty;
mod follow_up;
pub mod geo;
mod leave;
mod model;
mod on_duty;
mod places;
mod qr;
mod record;
mod routes;
mod rules;
mod service;
mod store;
mod venues;

pub use routes::{register, register_hot};

pub use store::reseal as reseal_positions;

pub use duty::{summary as duty_summary, DutySummary};
pub use follow_up::close_stale;
pub use leave::excuse as excuse_absence;
pub use on_duty::{on_duty_many, settle as settle_duty, slot as duty_slot, station_deputies, week as duty_week};
pub use places::{existing_secret as existing_qr_secret, new_kiosk_key};
pub use qr::{issue as issue_qr, Place};
pub use record::{Checkins, Writes as CheckinWrites};
pub use rules::{decode_position, seal_position};
pub use venues::venue as meeting_venue;
pub use venues::{follow as follow_venues, VenueCache};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{insert, insert_rows, of_deputies, NewCheckin};
}

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Background work of this capability: closes check-ins left open for 8 hours and settles ended
/// duty slots (no-shows), once a minute; stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("checkins", Duration::from_secs(60), stop, || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report("checkins", "auto-close of check-ins", follow_up::close_stale(&state).await);
            crate::platform::jobs::report("checkins", "duty slot settlement", on_duty::settle(&state).await);
        }
    })
    .await
}
