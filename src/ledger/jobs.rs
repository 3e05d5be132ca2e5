//! The ledger's background jobs: the point-event consumer (with the daily digest of the chain
//! heads) and the leaderboards' keeper.

use super::{awards, chain, ranking};
use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Keeps the leaderboards: builds this year's when it is missing (once per installation: a lock
/// in the cache; other years are built when first asked for), then applies the ranking outbox
/// every 250 ms; stops between runs. Without sorted-set rankings it only empties the outbox.
pub async fn board_worker(state: AppState, mut stop: watch::Receiver<bool>) {
    let this = super::this_year(&state);
    let built = match state.settings.rankings {
        crate::config::Rankings::SortedSets => ranking::ensure_board(&state, this).await,
        crate::config::Rankings::Sql => ranking::ensure_tables(&state, this).await,
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
            match ranking::drain(&state).await {
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
            crate::platform::jobs::report("ledger", "consuming point events", awards::consume_pending(&state).await);
            let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
            let due = published_on.lock().map(|d| *d != Some(today)).unwrap_or(true);
            if due {
                let r = chain::publish_heads(&state).await;
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
