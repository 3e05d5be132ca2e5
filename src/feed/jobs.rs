//! The feed's background work: every fraction of a second the sequencer numbers new events and
//! the deliverer sends what subscriptions are due; every hour events older than the retention
//! (`LVZHI_FEED_KEEP_DAYS`) are deleted.

use crate::db;
use crate::error::AppResult;
use crate::feed::{deliver, store};
use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// How often the sequencer and the deliverer run.
const TICK: Duration = Duration::from_millis(200);

/// Runs the feed's jobs until `stop`.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    let http = match deliver::http_client(&state) {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = %e, "the feed's HTTP client could not be built: no webhook deliveries");
            return;
        }
    };
    let hourly = {
        let (state, stop) = (state.clone(), stop.clone());
        crate::platform::jobs::every("feed-retention", Duration::from_secs(3600), stop, move || {
            let state = state.clone();
            async move { crate::platform::jobs::report("feed-retention", "events purged", purge(&state).await) }
        })
    };
    let fast = crate::platform::jobs::every("feed", TICK, stop, move || {
        let (state, http) = (state.clone(), http.clone());
        async move {
            let r = deliver::deliver_due(&state, &http, 1000).await;
            // Counted, not logged each time: this runs five times a second.
            crate::platform::jobs::report("feed", "deliveries", r.map(|_| 0));
        }
    });
    tokio::join!(hourly, fast);
}

/// Deletes events past the retention; answers how many.
pub async fn purge(state: &AppState) -> AppResult<usize> {
    let before = state.now() - chrono::Duration::days(state.settings.feed_keep_days);
    let mut total = 0;
    loop {
        let n = db::tx(&state.db, move |c| store::purge_before(c, before, 10_000)).await?;
        total += n;
        if n < 10_000 {
            return Ok(total);
        }
    }
}
