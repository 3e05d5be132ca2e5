//! The points ledger (履职积分): the rulebook, append-only hash-chained entries (a database trigger
//! refuses UPDATE and DELETE), caps at award time, balances kept in the same transaction, the
//! consumer of point events from check-ins and events, explained statements, rankings and
//! chain verification.

pub mod appeal_store;
pub mod appeals;
pub mod archive;
pub mod awards;
pub mod board;
pub mod cache;
pub mod direct;
pub mod evaluation;
pub mod model;
pub mod posting;
pub mod publish;
pub mod rank_store;
pub mod routes;
pub mod rule_store;
pub mod rulebook;
pub mod rules;
pub mod service;
pub mod simulate;
pub mod store;
pub mod sums_store;
pub mod table_store;
pub mod tables;

pub use store::ensure_default_rules;

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Keeps the leaderboards: builds this year's when it is missing (once per installation: a lock
/// in the cache; other years are built when first asked for), then applies the ranking outbox
/// every 250 ms; stops between runs. Without sorted-set rankings it only empties the outbox.
pub async fn board_worker(state: AppState, mut stop: watch::Receiver<bool>) {
    let this = chrono::Datelike::year(&state.clock.now().with_timezone(&state.settings.tz));
    let built = match state.settings.rankings {
        crate::config::Rankings::SortedSets => board::ensure(&state, this).await,
        crate::config::Rankings::Sql => tables::ensure(&state, this).await,
        crate::config::Rankings::SqlScan => Ok(()),
    };
    if let Err(e) = built {
        tracing::warn!(error = %e, year = this, "ranking build failed; rankings count in SQL until it succeeds");
    }
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
        }
        loop {
            match board::drain(&state).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "leaderboard update failed; retrying");
                    break;
                }
            }
        }
    }
}

/// Consumes pending point events every 10 s (all of them, batch by batch), and publishes the
/// chain heads once a day; stops between runs.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut published_on = None;
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(10)) => {}
        }
        if let Err(e) = service::consume_pending(&state).await {
            tracing::warn!(error = %e, "ledger: consuming point events failed");
        }
        let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
        if published_on != Some(today) {
            match publish::publish_heads(&state).await {
                Ok(_) => published_on = Some(today),
                Err(e) => tracing::warn!(error = %e, "ledger: publishing the chain heads failed"),
            }
        }
    }
}
