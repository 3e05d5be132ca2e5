//! The cloud reception room (云接待室): constituents reach deputies. Constituents sign in with a
//! phone number and an SMS code (consent to the privacy notice kept with its version), find
//! stations and deputies by their printed codes, leave opinions and follow them by ticket; staff
//! accept and sort them, deputies answer, handling units reply within deadlines counted in
//! working days, and the constituent rates the outcome. Appointments book a reception with a
//! deputy on duty; statistics show each rate beside its volume.

pub mod answering;
pub mod appointment_store;
pub mod appointments;
pub mod case;
pub mod directory;
pub mod filing;
pub mod forwarding;
pub mod handling;
pub mod handling_store;
pub mod model;
pub mod opinion_rules;
pub mod opinion_store;
pub mod opinions;
pub mod publication;
pub mod raised;
pub mod rules;
pub mod signin;
pub mod stats;
pub mod store;
pub mod threads;
pub mod workdays;

pub use store::reseal as reseal_phones;

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Once a minute: texts the units of overdue cases (once a day per case) and reminds both sides
/// of receptions about to begin; stops between runs.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
        if let Err(e) = forwarding::remind_overdue(&state).await {
            tracing::warn!(error = %e, "reminding units of overdue opinions failed");
        }
        if let Err(e) = appointments::remind(&state).await {
            tracing::warn!(error = %e, "reminding of receptions failed");
        }
    }
}
