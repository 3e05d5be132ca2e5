//! The points ledger (履职积分): the rulebook, append-only hash-chained entries (a database trigger
//! refuses UPDATE and DELETE), caps at award time, balances kept in the same transaction, the
//! consumer of point events from check-ins and events, explained statements, rankings and
//! chain verification.

mod appeals;
mod archive;
mod awards;
mod board;
mod cache;
mod direct;
mod evaluation;
mod model;
mod posting;
mod publish;
mod rankings;
mod routes;
mod rulebook;
mod rules;
mod service;
mod simulate;
mod store;
mod tables;

pub use routes::{register, register_hot};

pub use store::ensure_default_rules;
pub use store::inbox::{note, note_many, noted_for, PointEvent};

pub use archive::{verify as verify_archive, SignedArchive};
pub use awards::{propose_outcome, EventOutcome};
pub use board::{drain as drain_board, rebuild as rebuild_board, seats_changed as board_seats_changed};
pub use cache::LedgerCache;
pub use direct::{DirectAwards, Writes as DirectWrites};
pub use posting::{post as post_awards, Award};
pub use publish::publish_heads;
pub use service::{
    consume as consume_point_events, consume_in as consume_point_events_in,
    consume_pending as consume_pending_point_events, rebuild_balances, reverse as reverse_entry,
    verify as verify_chains,
};
pub use tables::build as build_rank_tables;

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::max_entry_id;
    pub use super::store::rank_tables::counts;
}

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
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    let published_on = std::sync::Arc::new(std::sync::Mutex::new(None));
    crate::platform::jobs::every("ledger", Duration::from_secs(10), stop, || {
        let (state, published_on) = (state.clone(), published_on.clone());
        async move {
            crate::platform::jobs::report("ledger", "consuming point events", service::consume_pending(&state).await);
            let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
            let due = published_on.lock().map(|d| *d != Some(today)).unwrap_or(true);
            if due {
                let r = publish::publish_heads(&state).await;
                if r.is_ok() {
                    if let Ok(mut d) = published_on.lock() {
                        *d = Some(today);
                    }
                }
                crate::platform::jobs::report("ledger", "publishing the chain heads", r.map(|_| 0));
            }
        }
    })
    .await
}
