//! The outbox kit: what push and SMS delivery share. Rows are queued in the caller's
//! transaction, leased by a worker (`SKIP LOCKED` on PostgreSQL, so instances share the work and
//! never send one row twice at once), sent, and settled: sent, retried with jittered backoff that
//! honours `Retry-After`, dropped (a dead address) or kept as a dead letter after the last
//! attempt, to be sent again on request. The statements are generated per table by
//! [`outbox_statements!`](crate::outbox_statements); the decisions are pure ([`next_step`]); what
//! each outbox settled is counted for the metrics ([`Tally`]).

mod rules;
mod table;

pub use rules::{backoff, classify, next_step, Outcome, Step};

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What one outbox settled since start: sent, retried, dropped and dead.
#[derive(Debug, Default)]
pub struct Tally {
    name: &'static str,
    counts: [AtomicU64; 4],
}

/// The tallies of every outbox, by name.
static TALLIES: Mutex<Vec<&'static Tally>> = Mutex::new(Vec::new());

impl Tally {
    /// The tally of the outbox `name` (made on first use, kept for the process).
    pub fn named(name: &'static str) -> &'static Tally {
        let mut all = TALLIES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = all.iter().find(|t| t.name == name) {
            return t;
        }
        let t: &'static Tally = Box::leak(Box::new(Tally { name, counts: Default::default() }));
        all.push(t);
        t
    }

    /// Counts settled steps.
    pub fn count<'a>(&self, steps: impl Iterator<Item = &'a Step>) {
        for s in steps {
            let i = match s {
                Step::Sent => 0,
                Step::RetryAt(..) => 1,
                Step::Dropped(_) => 2,
                Step::Dead(_) => 3,
            };
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// (outbox, step, count) of every outbox, for the metrics.
    pub fn snapshot() -> Vec<(&'static str, &'static str, u64)> {
        let all = TALLIES.lock().unwrap_or_else(|e| e.into_inner());
        let steps = ["sent", "retried", "dropped", "dead"];
        all.iter()
            .flat_map(|t| steps.iter().enumerate().map(move |(i, s)| (t.name, *s, t.counts[i].load(Ordering::Relaxed))))
            .collect()
    }
}
