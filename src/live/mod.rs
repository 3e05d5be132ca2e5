//! The live stream: things that happened for deputies (a notice published to them, retracted,
//! a reminder, a leave decided) and for constituents (their case changed, a new answer), kept in `live_events` — one row per happening, not one per
//! deputy — and delivered as Server-Sent Events. Each instance wakes its open streams through
//! an in-process broadcast; instances tell each other through the cache bus (Redis
//! publish/subscribe). When Redis is down an instance still wakes its own streams, and a stream
//! that missed something gets it on its next wake or on reconnecting with `Last-Event-ID`.

pub mod routes;
pub mod store;

use crate::state::AppState;
use serde::{Deserialize, Serialize};
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

/// This instance's side of the stream: the wake broadcast and the "closing" signal.
#[derive(Clone)]
pub struct Live {
    tx: broadcast::Sender<Wake>,
    closing: watch::Sender<bool>,
    origin: String,
}

impl Default for Live {
    fn default() -> Self {
        Live { tx: broadcast::channel(1024).0, closing: watch::channel(false).0, origin: uuid::Uuid::new_v4().simple().to_string() }
    }
}

impl Live {
    pub fn subscribe(&self) -> broadcast::Receiver<Wake> {
        self.tx.subscribe()
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
        let _ = state.live.tx.send(*w);
        let msg = BusMessage { origin: state.live.origin.clone(), wake: *w };
        let Ok(text) = serde_json::to_string(&msg) else { continue };
        if let Err(e) = state.cache.publish(CHANNEL, &text).await {
            tracing::warn!(error = %e, "live event not announced to other instances; their streams catch up on reconnect");
        }
    }
}

/// Wakes this instance's streams for other instances' events until `stop`; follows the bus
/// again after it drops (Redis restarted).
pub async fn follow(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        match state.cache.subscribe(CHANNEL).await {
            Ok(mut rx) => loop {
                tokio::select! {
                    _ = stop.changed() => return,
                    m = rx.recv() => match m {
                        Some(text) => {
                            if let Ok(msg) = serde_json::from_str::<BusMessage>(&text) {
                                if msg.origin != state.live.origin {
                                    let _ = state.live.tx.send(msg.wake);
                                }
                            }
                        }
                        None => break,
                    },
                }
            },
            Err(e) => tracing::warn!(error = %e, "cannot follow other instances' live events; retrying"),
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}
