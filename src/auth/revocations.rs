//! Ended sessions as this instance knows them, so that checking a bearer token costs no round
//! trip. A logout (or a reused refresh token) is written to the database first, then announced on
//! the cache bus; every instance keeps the ended session ids it heard of for the life of an access
//! token. An instance trusts its own list only while it follows the bus: it subscribes, then
//! loads the sessions ended recently from the database (so nothing falls between the two), and
//! when the subscription breaks (Redis away) it asks the database for every token until it has
//! subscribed and loaded again.

use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::state::AppState;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Bus channel carrying the id of each session that ended.
pub const CHANNEL: &str = "session-ended";

#[derive(Clone)]
pub struct Revocations {
    ended: moka::sync::Cache<String, ()>,
    /// Each session end as this instance hears of it (live streams close on it).
    news: tokio::sync::broadcast::Sender<String>,
    /// Whether `ended` holds every session ended within an access token's life (see module).
    complete: Arc<AtomicBool>,
    window: Duration,
}

impl Revocations {
    /// Keeps ended sessions for `window`: an access token's life and a margin.
    pub fn new(window: Duration) -> Self {
        Revocations {
            ended: moka::sync::Cache::builder().max_capacity(1_000_000).time_to_live(window).build(),
            news: tokio::sync::broadcast::channel(1024).0,
            complete: Default::default(),
            window,
        }
    }

    /// Whether this instance heard that the session ended.
    pub fn ended(&self, sid: &str) -> bool {
        self.ended.contains_key(sid)
    }

    /// Whether a session not in the list may be taken as live without asking the database.
    pub fn complete(&self) -> bool {
        self.complete.load(Ordering::Acquire)
    }

    pub fn window(&self) -> Duration {
        self.window
    }

    /// Hears of every session end from now on (a lagging listener asks [`Self::ended`]).
    pub fn listen(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.news.subscribe()
    }

    fn add(&self, sid: String) {
        self.ended.insert(sid.clone(), ());
        // Nobody listening (no open stream) is fine.
        let _ = self.news.send(sid);
    }
}

/// Records here, then tells the other instances, that a session ended (its end is already in the
/// database). A failed announcement leaves the others to the database: they learn of it when
/// their subscription breaks, or not before the access token expires if only this instance
/// lost Redis — the same as a revocation key that could not be written.
pub async fn announce(state: &AppState, sid: &str) {
    state.revocations.add(sid.to_string());
    if let Err(e) = state.cache.publish(CHANNEL, sid).await {
        tracing::warn!(error = %e, "could not announce an ended session; other instances may accept its access tokens until the cache recovers");
    }
}

/// Sessions whose every refresh token was revoked after `since`.
fn ended_since(c: &mut AnyConnection, since: chrono::NaiveDateTime) -> AppResult<Vec<String>> {
    let families = super::store::families_revoked_since(c, since)?;
    let mut ended = Vec::with_capacity(families.len());
    for chunk in families.chunks(500) {
        let live = super::store::families_with_live_tokens(c, chunk)?;
        ended.extend(chunk.iter().filter(|f| !live.contains(*f)).cloned());
    }
    Ok(ended)
}

/// Follows the bus until `stop`: subscribe, load the recent ends, trust the list; on a broken
/// subscription distrust it and start again a second later.
pub async fn follow(state: AppState, mut stop: watch::Receiver<bool>) {
    let r = state.revocations.clone();
    loop {
        if let Some(mut rx) = subscribe_and_load(&state).await {
            r.complete.store(true, Ordering::Release);
            loop {
                tokio::select! {
                    _ = stop.changed() => return,
                    msg = rx.recv() => match msg {
                        Some(sid) => r.add(sid),
                        None => break,
                    },
                }
            }
            r.complete.store(false, Ordering::Release);
            tracing::warn!("lost the session-end announcements; asking the database until they are followed again");
        }
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

async fn subscribe_and_load(state: &AppState) -> Option<tokio::sync::mpsc::Receiver<String>> {
    let rx = match state.cache.subscribe(CHANNEL).await {
        Ok(rx) => rx,
        Err(e) => {
            tracing::warn!(error = %e, "cannot follow session ends; asking the database for every token meanwhile");
            return None;
        }
    };
    let since = state.now()
        - chrono::Duration::from_std(state.revocations.window).unwrap_or_else(|_| chrono::Duration::hours(1));
    match db::run(&state.db, move |c| ended_since(c, since)).await {
        Ok(sids) => {
            for sid in sids {
                state.revocations.add(sid);
            }
            Some(rx)
        }
        Err(e) => {
            tracing::warn!(error = %e.detail, "cannot load recent session ends; asking the database for every token meanwhile");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_list_is_not_trusted_and_remembers_what_it_hears() {
        let r = Revocations::new(Duration::from_secs(60));
        assert!(!r.complete());
        assert!(!r.ended("a"));
        r.add("a".into());
        assert!(r.ended("a"));
        assert!(!r.ended("b"));
    }
}
