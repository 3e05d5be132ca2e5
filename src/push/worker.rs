//! Delivery: claims due pushes with a lease (several workers or instances never send the same
//! row at once), sends them concurrently, and records each answer — sent, retried later with
//! backoff, dropped with its dead device, or kept as a dead letter after the last attempt. A
//! crash leaves claimed rows to be claimed again when their lease ends, with the same dedup id.

use super::provider::Message;
use super::rules::{backoff, Outcome};
use super::store;
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::watch;

/// Rows per claim, and sends in flight.
const BATCH: i64 = 500;
const IN_FLIGHT: usize = 64;

/// Sends what is due now; returns how many pushes were attempted.
pub async fn deliver_once(state: &AppState) -> AppResult<usize> {
    let (now, lease) = (state.now(), chrono::Duration::seconds(state.settings.push_lease_secs));
    let due = db::tx(&state.db, move |c| store::claim(c, now, now + lease, BATCH)).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let notices: Vec<i64> = due.iter().map(|d| d.notice).collect();
    let heads = db::run(&state.db, move |c| crate::notices::headlines(c, &notices)).await?;
    let providers = state.push.clone();
    let results: Vec<(store::Due, Outcome)> = futures_util::stream::iter(due)
        .map(|d| {
            let providers = providers.clone();
            let (kind, title, priority) = heads.get(&d.notice).cloned().unwrap_or_default();
            async move {
                let m =
                    Message { dedup_id: d.dedup_id.clone(), platform: d.platform.clone(), token: d.token.clone(), notice_id: d.notice, kind, title, priority };
                let out = providers.send(&d.provider, &m).await;
                (d, out)
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    let n = results.len();
    let (max, at) = (state.settings.push_max_attempts, state.now());
    db::tx(&state.db, move |c| {
        // The common answer in few statements: every accepted push at once.
        let accepted: Vec<&store::Due> = results.iter().filter(|r| r.1 == Outcome::Accepted).map(|r| &r.0).collect();
        store::mark_sent(c, &accepted.iter().map(|d| d.id).collect::<Vec<_>>(), at)?;
        crate::notices::record_pushes(c, &accepted.iter().map(|d| (d.notice, d.deputy)).collect::<Vec<_>>(), true, at)?;
        let mut retried = vec![];
        for (d, out) in &results {
            let (id, attempts) = (&d.id, &d.attempts);
            match out {
                Outcome::Accepted => {}
                Outcome::Retry { error, .. } if attempts + 1 >= max => store::finish(c, *id, "dead", &format!("gave up after {max} attempts: {error}"))?,
                Outcome::Retry { after, error } => {
                    let wait = backoff(*attempts, *after, rand::random::<f64>());
                    store::retry_at(c, *id, at + chrono::Duration::milliseconds(wait.as_millis() as i64), error)?;
                    retried.push((d.notice, d.deputy));
                }
                Outcome::Gone(error) => {
                    store::finish(c, *id, "dropped", error)?;
                    store::disable_device(c, d.device, error, at)?;
                }
                Outcome::Failed(error) => store::finish(c, *id, "dead", error)?,
            }
        }
        crate::notices::record_pushes(c, &retried, false, at)
    })
    .await?;
    Ok(n)
}

/// Delivers every second (at once again while there is more); stops between runs.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
        loop {
            match deliver_once(&state).await {
                Ok(n) if n > 0 && !*stop.borrow() => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "push delivery failed; retrying");
                    break;
                }
            }
        }
    }
}
