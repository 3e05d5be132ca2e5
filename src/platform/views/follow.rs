//! Keeps this instance's kept views in step with the other instances over the cache bus: applies
//! the changes they announce, announces this instance's own, and serves nothing while the bus is
//! not followed.

use super::{decode, encode, Touch, Views, CHANNEL};
use crate::state::AppState;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// Largest message announced at once (changes queued meanwhile are joined up to it).
const MESSAGE_BYTES: usize = 64 << 10;

impl Views {
    pub(super) fn set_following(&self, on: bool) {
        self.0.following.store(on, Ordering::Release);
    }

    /// Whether `tx` became the outbox (another follower of the same views may have set it).
    pub(super) fn set_outbox(&self, tx: mpsc::UnboundedSender<Vec<Touch>>) -> bool {
        self.0.outbox.set(tx).is_ok()
    }

    /// Whether an announcement is this instance's own (applied when it was made).
    pub(super) fn own(&self, msg: &str) -> bool {
        msg.strip_prefix(self.0.origin.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(','))
    }
}

/// Follows the bus until `stop`: subscribe, forget everything kept before (changes may have been
/// missed), serve; on a broken subscription stop serving and start again a second later.
pub async fn follow(state: AppState, mut stop: watch::Receiver<bool>) {
    let views = state.views.clone();
    let (tx, outbox) = mpsc::unbounded_channel();
    if views.set_outbox(tx) {
        tokio::spawn(announce(state.clone(), outbox, stop.clone()));
    }
    loop {
        // A cache that just failed to answer may be hung: its subscription would stay open and
        // deliver nothing. Subscribe once it answers again.
        let subscribed = match crate::platform::cache::bus_trusted(&state.cache) {
            true => state.cache.subscribe(CHANNEL).await,
            false => Err(crate::platform::cache::CacheError("the cache failed to answer just now".into())),
        };
        match subscribed {
            Ok(mut rx) => {
                views.forget_all();
                views.set_following(true);
                loop {
                    tokio::select! {
                        _ = stop.changed() => return,
                        msg = rx.recv() => match msg {
                            Some(m) if views.own(&m) => {}
                            Some(m) => views.apply(decode(&m), false),
                            None => break,
                        },
                        // The health look's ping went unanswered: the bus cannot vouch for what
                        // it did not deliver.
                        _ = tokio::time::sleep(Duration::from_millis(250)) => if !crate::platform::cache::bus_trusted(&state.cache) {
                            break;
                        },
                    }
                }
                views.set_following(false);
                tracing::warn!(
                    "lost the announcements of changed views; reading from the database until they are followed again"
                );
            }
            Err(e) => tracing::warn!(error = %e, "cannot follow changed views; reading from the database meanwhile"),
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// Publishes this instance's changes, joining what queued up meanwhile. A change that cannot be
/// announced reaches the others when their entries expire (or sooner, if they lost the bus too).
async fn announce(state: AppState, mut outbox: mpsc::UnboundedReceiver<Vec<Touch>>, mut stop: watch::Receiver<bool>) {
    let views = state.views.clone();
    loop {
        let first = tokio::select! {
            _ = stop.changed() => return,
            m = outbox.recv() => match m {
                Some(m) => m,
                None => return,
            },
        };
        let mut msg = views.0.origin.clone();
        let mut next = Some(first);
        while let Some(changes) = next.take() {
            msg.push(',');
            msg.push_str(&encode(&changes));
            if msg.len() < MESSAGE_BYTES {
                next = outbox.try_recv().ok();
            }
        }
        if let Err(e) = state.cache.publish(CHANNEL, &msg).await {
            tracing::warn!(error = %e, "could not announce changed views; other instances may show them stale until their entries expire");
        }
    }
}
