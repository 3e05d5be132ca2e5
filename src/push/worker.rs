//! Delivery: claims due pushes with a lease (several workers or instances never send the same
//! row at once), each provider's on their own and as many as its requests carry (a thousand
//! devices of one notice in one JPush or Huawei request), sends them concurrently, and records
//! each answer as it comes — sent, retried later with backoff, dropped with its dead device, or
//! kept as a dead letter after the last attempt. The worker is a pipeline: it claims more as
//! sends complete, so a hanging device holds one slot for at most the provider's timeout and
//! never the pushes behind it; a claimed push is in flight at most that long, and the lease
//! (checked against it at start-up) outlives it. A crash leaves only what was in flight, or
//! answered in the last moment and not yet recorded, to be claimed again when its lease ends,
//! with the same dedup id.

use super::provider::{Message, PROVIDERS};
use super::{rules, store};
use crate::db;
use crate::error::AppResult;
use crate::platform::outbox::{next_step, Outcome, Step};
use crate::state::AppState;
use futures_util::stream::FuturesUnordered;
use futures_util::{Future, StreamExt};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Pushes one [`deliver_once`] claims of a provider that takes one a request (of one that takes
/// many: `ONCE_REQUESTS` requests' worth); answers recorded in one transaction. (Requests in
/// flight per provider: [`Providers::in_flight`](super::Providers::in_flight).)
const BATCH: usize = 500;
const ONCE_REQUESTS: usize = 8;
const RECORD_EVERY: usize = 64;
/// The longest an answer waits to be recorded.
const FLUSH: Duration = Duration::from_millis(200);
/// How soon a provider with nothing due is asked again.
const IDLE: Duration = Duration::from_secs(1);
/// The most pushes one claim leases (the ids are bound one by one: both databases cap that).
const CLAIM_MAX: usize = 5000;

/// Leases up to `requests` requests' worth of due pushes of provider `p`, grouped into the
/// requests that will carry them (those of one notice together, where the provider needs it).
async fn claim(state: &AppState, p: usize, requests: usize) -> AppResult<Vec<Vec<store::Due>>> {
    let (now, lease) = (state.now(), chrono::Duration::seconds(state.settings.push_lease_secs));
    let (size, same) = state.push.batch(PROVIDERS[p]);
    let limit = (requests * size).min(CLAIM_MAX) as i64;
    let due = db::tx(&state.db, move |c| store::claim(c, (now, now + lease), PROVIDERS[p], limit)).await?;
    Ok(match same {
        true => rules::requests(due, size, |d| (d.notice, d.title.clone(), d.kind.clone(), d.priority.clone())),
        false => rules::requests(due, size, |_| ()),
    })
}

fn message(d: &store::Due) -> Message {
    Message {
        dedup_id: d.dedup_id.clone(),
        platform: d.platform.clone(),
        token: d.token.clone(),
        notice_id: d.notice,
        kind: d.kind.clone(),
        title: d.title.clone(),
        priority: d.priority.clone(),
    }
}

/// One request's pushes to provider `p`, on a task of its own: it reads its answer while the
/// worker records others (an answer left unread holds the HTTP/2 connection's flow-control
/// window and framing budget, and a peer that runs out of them closes the connection). Answers
/// `p` with each push's outcome (none if the task failed: its pushes go again after the lease).
fn send(state: &AppState, p: usize, due: Vec<store::Due>) -> impl Future<Output = (usize, Answers)> + use<> {
    let providers = state.push.clone();
    let task = tokio::spawn(async move {
        let ms: Vec<Message> = due.iter().map(message).collect();
        let refs: Vec<&Message> = ms.iter().collect();
        let outs = providers.send_many(PROVIDERS[p], &refs).await;
        due.into_iter().zip(outs).collect()
    });
    async move {
        match task.await {
            Ok(answers) => (p, answers),
            Err(e) => {
                tracing::warn!(error = %e, provider = PROVIDERS[p], "a push request failed; its pushes go again after their lease");
                (p, vec![])
            }
        }
    }
}

type Answers = Vec<(store::Due, Outcome)>;

/// Records answers in one transaction (the outbox kit settles the rows) and tells notices which
/// deputies' pushes went out or will be tried again.
async fn record(state: &AppState, results: Answers) -> AppResult<()> {
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
                Step::RetryAt(at, error) => {
                    tracing::debug!(push = d.id, %at, error = %error, "push to be tried again");
                    retried.push((d.notice, d.deputy))
                }
                Step::Dropped(error) => store::disable_device(c, d.device, error, at)?,
                Step::Dead(_) => {}
            }
        }
        crate::notices::record_pushes(c, &sent, true, at)?;
        crate::notices::record_pushes(c, &retried, false, at)
    })
    .await
}

/// Claims what is due now of every provider (up to a batch each), sends it and records the
/// answers as they come; returns how many pushes were attempted. (Tests and tools drive
/// delivery with it.)
pub async fn deliver_once(state: &AppState) -> AppResult<usize> {
    let mut n = 0;
    for (p, name) in PROVIDERS.iter().enumerate() {
        let requests = if state.push.batch(name).0 == 1 { BATCH } else { ONCE_REQUESTS };
        let due = claim(state, p, requests).await?;
        n += due.iter().map(Vec::len).sum::<usize>();
        let mut answers = futures_util::stream::iter(due)
            .map(|d| send(state, p, d))
            .buffer_unordered(state.push.in_flight(name))
            .ready_chunks(RECORD_EVERY);
        while let Some(chunk) = answers.next().await {
            record(state, chunk.into_iter().flat_map(|(_, a)| a).collect()).await?;
        }
    }
    Ok(n)
}

/// Delivers until `stop` (unless this instance does not deliver): keeps up to its in-flight
/// number of requests going to each provider, claims more of a provider whenever half its slots are free
/// (every second when nothing of it is due), and records answers at most [`FLUSH`] after they
/// come. At `stop` it claims nothing more and records what is in flight.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    if !state.settings.push_delivery {
        tracing::info!("push delivery is off on this instance (LVZHI_PUSH_DELIVERY): others deliver");
        return;
    }
    let mut inflight = FuturesUnordered::new();
    // The first claims a second after start (as every idle one), when start-up work is done.
    let mut busy = [0usize; PROVIDERS.len()];
    let slots = PROVIDERS.map(|p| state.push.in_flight(p));
    let mut next_claim = [Instant::now() + IDLE; PROVIDERS.len()];
    let (mut answered, mut recorded_at) = (Vec::new(), Instant::now());
    loop {
        let stopping = *stop.borrow();
        if stopping && inflight.is_empty() {
            break;
        }
        for p in 0..PROVIDERS.len() {
            if stopping || busy[p] > slots[p] / 2 || Instant::now() < next_claim[p] {
                continue;
            }
            match claim(&state, p, slots[p] - busy[p]).await {
                Ok(due) => {
                    if due.is_empty() {
                        next_claim[p] = Instant::now() + IDLE;
                    }
                    busy[p] += due.len();
                    inflight.extend(due.into_iter().map(|d| send(&state, p, d)));
                }
                Err(e) => {
                    tracing::warn!(error = %e, provider = PROVIDERS[p], "claiming pushes failed; retrying");
                    next_claim[p] = Instant::now() + IDLE;
                }
            }
        }
        let first = next_claim.iter().min().copied().unwrap_or_else(Instant::now);
        let wait = if inflight.is_empty() { first.saturating_duration_since(Instant::now()) } else { FLUSH };
        tokio::select! {
            _ = stop.changed(), if !stopping => {}
            Some((p, a)) = inflight.next(), if !inflight.is_empty() => {
                busy[p] = busy[p].saturating_sub(1);
                answered.extend(a);
            }
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
