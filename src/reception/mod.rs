//! The cloud reception room (云接待室): constituents reach deputies. Constituents sign in with a
//! phone number and an SMS code (consent to the privacy notice kept with its version), find
//! stations and deputies by their printed codes, leave opinions and follow them by ticket; staff
//! accept and sort them, deputies answer, handling units reply within deadlines counted in
//! working days, and the constituent rates the outcome. Appointments book a reception with a
//! deputy on duty; statistics show each rate beside its volume.

mod answering;
mod appointments;
mod case;
mod directory;
mod filing;
mod forwarding;
mod handling;
mod model;
mod opinion_rules;
mod opinions;
mod publication;
mod raised;
mod routes;
mod rules;
mod signin;
mod stats;
mod store;
mod threads;
mod workdays;

pub use routes::{register, register_hot};

pub use store::reseal as reseal_phones;

pub use appointments::remind as remind_appointments;
pub use filing::{Filings, Writes as FilingWrites};
pub use forwarding::remind_overdue as remind_overdue_cases;
pub use raised::{prepare as prepare_raise, raise as raise_opinion, Raised};
pub use stats::By as StatsBy;
pub use workdays::set_day as set_workday;

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::username;
}

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Once a minute: texts the units of overdue cases (once a day per case) and reminds both sides
/// of receptions about to begin; stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("reception", Duration::from_secs(60), stop, || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report(
                "reception",
                "reminding units of overdue opinions",
                forwarding::remind_overdue(&state).await,
            );
            crate::platform::jobs::report("reception", "reminding of receptions", appointments::remind(&state).await);
        }
    })
    .await
}
