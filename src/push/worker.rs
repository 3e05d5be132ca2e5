//! Delivery: claims due pushes with a lease (several workers or instances never send the same
//! row at once), sends them concurrently, and records each answer as it comes — sent, retried
//! later with backoff, dropped with its dead device, or kept as a dead letter after the last
//! attempt. The worker is a pipeline: it claims more as sends complete, so a hanging device holds
//! one slot for at most the provider's timeout and never the pushes behind it; a claimed push is
//! in flight at most that long, and the lease (checked against it at start-up) outlives it. A
//! crash leaves only what was in flight, or answered in the last moment and not yet recorded,
//! to be claimed again when its lease ends, with the same dedup id.

use super::provider::Message;
use super::store;
use crate::db;
use crate::error::AppResult;
use crate::platform::outbox::{next_step, Outcome, Step};
use crate::state::AppState;
use futures_util::stream::FuturesUnordered;
use futures_util::{Future, StreamExt};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Rows one [`deliver_once`] claims; sends in flight; answers recorded in one transaction.
const BATCH: i64 = 500;
const IN_FLIGHT: usize = 64;
const RECORD_EVERY: usize = 64;
/// The longest an answer waits to be recorded.
const FLUSH: Duration = Duration::from_millis(200);

/// Leases up to `limit` due pushes.
async fn claim(state: &AppState, limit: i64) -> AppResult<Vec<store::Due>> {
    let (now, lease) = (state.now(), chrono::Duration::seconds(state.settings.push_lease_secs));
    db::tx(&state.db, move |c| store::claim(c, now, now + lease, limit)).await
}

/// One push to its provider.
fn send(state: &AppState, d: store::Due) -> impl Future<Output = (store::Due, Outcome)> + use<> {
    let providers = state.push.clone();
    async move {
        let m = Message {
            dedup_id: d.dedup_id.clone(),
            platform: d.platform.clone(),
            token: d.token.clone(),
            notice_id: d.notice,
            kind: d.kind.clone(),
            title: d.title.clone(),
            priority: d.priority.clone(),
        };
        let out = providers.send(&d.provider, &m).await;
        (d, out)
    }
}

/// Records answers in one transaction (the outbox kit settles the rows) and tells notices which
/// deputies' pushes went out or will be tried again.
async fn record(state: &AppState, results: Vec<(store::Due, Outcome)>) -> AppResult<()> {
    if results.is_empty() {
        return Ok(());
    }
    let (max, at) = (state.settings.push_max_attempts, state.now());
    db::tx(&state.db, move |c| {
        let steps: Vec<(&store::Due, Step)> =
            results.iter().map(|(d, out)| (d, next_step(out, d.attempts, max, at, rand::random::<f64>()))).collect();
        store::settle(c, &steps.iter().map(|(d, s)| (d.id, s)).collect::<Vec<_>>(), at)?;
        let (mut sent, mut retried) = (vec![], vec![]);
        for (d, step) in &steps {
            match step {
                Step::Sent => sent.push((d.notice, d.deputy)),
                Step::RetryAt(..) => retried.push((d.notice, d.deputy)),
                Step::Dropped(error) => store::disable_device(c, d.device, error, at)?,
                Step::Dead(_) => {}
            }
        }
        crate::notices::record_pushes(c, &sent, true, at)?;
        crate::notices::record_pushes(c, &retried, false, at)
    })
    .await
}

/// Claims what is due now (up to a batch), sends it and records the answers as they come;
/// returns how many pushes were attempted. (Tests and tools drive delivery with it.)
pub async fn deliver_once(state: &AppState) -> AppResult<usize> {
    let due = claim(state, BATCH).await?;
    let n = due.len();
    let mut answers =
        futures_util::stream::iter(due).map(|d| send(state, d)).buffer_unordered(IN_FLIGHT).ready_chunks(RECORD_EVERY);
    while let Some(chunk) = answers.next().await {
        record(state, chunk).await?;
    }
    Ok(n)
}

/// Delivers until `stop`: keeps up to [`IN_FLIGHT`] sends going, claims more whenever half the
/// slots are free (every second when nothing is due), and records answers at most [`FLUSH`]
/// after they come. At `stop` it claims nothing more and records what is in flight.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut inflight = FuturesUnordered::new();
    // The first claim a second after start (as every idle one), when start-up work is done.
    let (mut answered, mut recorded_at, mut next_claim) =
        (Vec::new(), Instant::now(), Instant::now() + Duration::from_secs(1));
    loop {
        let stopping = *stop.borrow();
        if stopping && inflight.is_empty() {
            break;
        }
        if !stopping && inflight.len() <= IN_FLIGHT / 2 && Instant::now() >= next_claim {
            match claim(&state, (IN_FLIGHT - inflight.len()) as i64).await {
                Ok(due) => {
                    if due.is_empty() {
                        next_claim = Instant::now() + Duration::from_secs(1);
                    }
                    inflight.extend(due.into_iter().map(|d| send(&state, d)));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "claiming pushes failed; retrying");
                    next_claim = Instant::now() + Duration::from_secs(1);
                }
            }
        }
        let wait = if inflight.is_empty() { next_claim.saturating_duration_since(Instant::now()) } else { FLUSH };
        tokio::select! {
            _ = stop.changed(), if !stopping => {}
            Some(a) = inflight.next(), if !inflight.is_empty() => answered.push(a),
            _ = tokio::time::sleep(wait) => {}
        }
        let due = answered.len() >= RECORD_EVERY || inflight.is_empty() || recorded_at.elapsed() >= FLUSH;
        if !answered.is_empty() && due {
            if let Err(e) = record(&state, std::mem::take(&mut answered)).await {
                // Their leases end and they go again, with the same dedup ids.
                tracing::warn!(error = %e, "recording push answers failed; those pushes go again after their lease");
            }
            recorded_at = Instant::now();
        }
    }
}
