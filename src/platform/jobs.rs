//! One way to run background work: [`every`] runs a job's round every period until the shared
//! stop signal, [`report`] logs and counts what each step of a round did, and [`snapshot`] gives
//! the counts to the metrics. A round is a plain async function of the capability, so tests
//! drive it directly instead of waiting for the period.

use crate::error::AppResult;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::watch;

/// Rounds run and steps failed of one job since start.
struct Counts {
    job: &'static str,
    rounds: AtomicU64,
    failures: AtomicU64,
}

static JOBS: Mutex<Vec<&'static Counts>> = Mutex::new(Vec::new());

fn counts(job: &'static str) -> &'static Counts {
    let mut all = JOBS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = all.iter().find(|c| c.job == job) {
        return c;
    }
    let c: &'static Counts =
        Box::leak(Box::new(Counts { job, rounds: AtomicU64::new(0), failures: AtomicU64::new(0) }));
    all.push(c);
    c
}

/// Runs `round` every `period` (the first one a period after start) until `stop` changes; a
/// round in progress finishes first.
pub async fn every<F, Fut>(job: &'static str, period: Duration, mut stop: watch::Receiver<bool>, mut round: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let c = counts(job);
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(period) => {}
        }
        round().await;
        c.rounds.fetch_add(1, Ordering::Relaxed);
    }
}

/// Logs a step of a round of `job`: how many rows it changed (when any) or why it failed.
pub fn report(job: &'static str, step: &str, r: AppResult<usize>) {
    match r {
        Ok(0) => {}
        Ok(n) => tracing::info!(job, step, rows = n, "background step done"),
        Err(e) => {
            counts(job).failures.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(job, step, error = %e, "background step failed; it runs again next round");
        }
    }
}

/// (job, rounds, failed steps) of every job, for the metrics.
pub fn snapshot() -> Vec<(&'static str, u64, u64)> {
    let all = JOBS.lock().unwrap_or_else(|e| e.into_inner());
    all.iter().map(|c| (c.job, c.rounds.load(Ordering::Relaxed), c.failures.load(Ordering::Relaxed))).collect()
}
