//! Check-ins at liaison stations and events: rotating QR tokens, the kiosk page, geofencing with
//! coordinate-system conversion, review instead of silent rejection, idempotent and offline
//! submission, the duty roster, and the point events the ledger consumes.

pub mod activity;
pub mod attendance;
pub mod duty;
pub mod events;
pub mod geo;
pub mod kiosk;
pub mod model;
pub mod places;
pub mod qr;
pub mod record;
pub mod roster;
pub mod routes;
pub mod rules;
pub mod service;
pub mod stats;
pub mod store;
pub mod venues;

pub use store::{mark_point_events_consumed, pending_point_events, point_event, reseal as reseal_positions, PendingPointEvent};

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Background work of this capability: closes check-ins left open for 8 hours and settles ended
/// duty slots (no-shows), once a minute; stops between runs.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
        if let Err(e) = service::close_stale(&state).await {
            tracing::warn!(error = %e, "auto-close of check-ins failed");
        }
        if let Err(e) = roster::settle(&state).await {
            tracing::warn!(error = %e, "duty slot settlement failed");
        }
    }
}
