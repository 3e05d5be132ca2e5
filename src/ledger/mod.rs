//! The points ledger (履职积分): the rulebook, append-only hash-chained entries (a database trigger
//! refuses UPDATE and DELETE), caps at award time, balances kept in the same transaction, the
//! consumer of point events from check-ins and events, explained statements, rankings and
//! chain verification.

pub mod appeal_store;
pub mod appeals;
pub mod awards;
pub mod direct;
pub mod model;
pub mod posting;
pub mod rank_store;
pub mod routes;
pub mod rule_store;
pub mod rulebook;
pub mod rules;
pub mod service;
pub mod store;

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Consumes pending point events every 10 s; stops between runs.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(10)) => {}
        }
        if let Err(e) = service::consume(&state).await {
            tracing::warn!(error = %e, "ledger: consuming point events failed");
        }
    }
}
