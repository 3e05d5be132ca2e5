//! Waking the event streams: a new live event is announced on the bus, every instance wakes the
//! streams it holds, and a periodic recheck catches anything missed.

use crate::state::AppState;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

const CHANNEL: &str = "live";

/// "Something new after `id`", for one account, one deputy, or (neither) every deputy it concerns.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Wake {
    pub id: i64,
    pub deputy: Option<i64>,
    #[serde(default)]
    pub account: Option<i64>,
}

impl Wake {
    /// Whether a stream of this account (and deputy, for deputies' accounts) should look.
    pub fn concerns(&self, account: i64, deputy: Option<i64>) -> bool {
        match (self.account, self.deputy) {
            (Some(a), _) => a == account,
            (None, Some(d)) => deputy == Some(d),
            (None, None) => deputy.is_some(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct BusMessage {
    origin: String,
    wake: Wake,
}

/// This instance's side of the stream: the wake broadcast, the "look again" signal and the
/// "closing" signal.
#[derive(Clone)]
pub struct Live {
    tx: broadcast::Sender<Wake>,
    /// Bumped when every open stream should look for its events again (something may be lost).
    recheck: watch::Sender<u64>,
    /// The newest event id this instance heard of (announced here or received on the bus).
    seen: Arc<AtomicI64>,
    closing: watch::Sender<bool>,
    origin: String,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            tx: broadcast::channel(1024).0,
            recheck: watch::channel(0).0,
            seen: Arc::default(),
            closing: watch::channel(false).0,
            origin: uuid::Uuid::new_v4().simple().to_string(),
        }
    }
}

impl Live {
    pub fn subscribe(&self) -> broadcast::Receiver<Wake> {
        self.tx.subscribe()
    }
    /// Changes whenever open streams should look for their events again.
    pub fn rechecks(&self) -> watch::Receiver<u64> {
        self.recheck.subscribe()
    }
    /// Every open stream looks for its events once more.
    fn look_again(&self) {
        self.recheck.send_modify(|n| *n += 1);
    }
    fn heard(&self, id: i64) {
        self.seen.fetch_max(id, Ordering::Relaxed);
    }
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }
    /// Ends every open stream (at shutdown: clients reconnect to another instance).
    pub fn close(&self) {
        let _ = self.closing.send(true);
    }
    /// Open streams on this instance.
    pub fn listeners(&self) -> usize {
        self.tx.receiver_count()
    }
}

/// Wakes the streams after a commit that recorded events: here at once, elsewhere through the
/// bus (a bus failure is logged; this instance's streams are woken regardless).
pub async fn announce(state: &AppState, wakes: &[Wake]) {
    for w in wakes {
        state.live.heard(w.id);
        let _ = state.live.tx.send(*w);
        let msg = BusMessage { origin: state.live.origin.clone(), wake: *w };
        let Ok(text) = serde_json::to_string(&msg) else { continue };
        if let Err(e) = state.cache.publish(CHANNEL, &text).await {
            tracing::warn!(error = %e, "live event not announced to other instances; their streams catch up on reconnect");
        }
    }
}

/// Wakes this instance's streams for other instances' events until `stop`; follows the bus
/// again after it drops (Redis restarted), and then has every open stream look again for what
/// was announced while it did not listen.
pub async fn follow(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut gap = false;
    loop {
        // A cache that just failed to answer may be hung (see `platform::cache::BUS_DOUBT`).
        let subscribed = match crate::platform::cache::bus_trusted(&state.cache) {
            true => state.cache.subscribe(CHANNEL).await,
            false => Err(crate::platform::cache::CacheError("the cache failed to answer just now".into())),
        };
        match subscribed {
            Ok(mut rx) => loop {
                if std::mem::take(&mut gap) {
                    tracing::info!(
                        "following other instances' live events again; open streams look for what they missed"
                    );
                    state.live.look_again();
                }
                tokio::select! {
                    _ = stop.changed() => return,
                    m = rx.recv() => match m {
                        Some(text) => {
                            if let Ok(msg) = serde_json::from_str::<BusMessage>(&text) {
                                if msg.origin != state.live.origin {
                                    state.live.heard(msg.wake.id);
                                    let _ = state.live.tx.send(msg.wake);
                                }
                            }
                        }
                        None => break,
                    },
                    _ = tokio::time::sleep(Duration::from_millis(250)) => if !crate::platform::cache::bus_trusted(&state.cache) {
                        break;
                    },
                }
            },
            Err(e) => tracing::debug!(error = %e, "cannot follow other instances' live events; retrying"),
        }
        gap = true;
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}

/// The safety net under the bus: every `every`, when the database holds an event newer than any
/// this instance heard of (a message the bus lost, a hung Redis), open streams look again.
/// One short query per instance and interval, whatever the number of streams.
pub async fn recheck(state: AppState, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(every) => {}
        }
        if state.live.listeners() == 0 {
            continue;
        }
        match crate::db::run(&state.db, super::store::latest).await {
            Ok(latest) if latest > state.live.seen.load(Ordering::Relaxed) => {
                state.live.heard(latest);
                state.live.look_again();
            }
            Ok(_) => {}
            Err(e) => tracing::debug!(error = %e, "live events: the periodic look at the database failed"),
        }
    }
}
