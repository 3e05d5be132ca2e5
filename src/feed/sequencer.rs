//! The sequencer: numbers the events written since it last ran, in the order they were
//! written, under the head row's lock (no writer waits for it: writers only insert). It runs
//! every fraction of a second in the worker, and before each read, so a reader sees every
//! change committed before the read began.

use crate::db;
use crate::error::AppResult;
use crate::feed::store;
use crate::state::AppState;
use std::sync::atomic::{AtomicU64, Ordering};

/// The most events numbered in one transaction.
const STEP: i64 = 20_000;
/// Events numbered between two tidyings of the feed (PostgreSQL, see [`store::tidy`]).
const TIDY_AFTER: u64 = 100_000;
static SINCE_TIDY: AtomicU64 = AtomicU64::new(0);

/// Numbers everything waiting; answers how many.
pub async fn catch_up(state: &AppState) -> AppResult<usize> {
    let mut total = 0;
    loop {
        if !db::read(&state.db, store::unsequenced).await? {
            return Ok(total);
        }
        let n = db::tx(&state.db, |c| store::sequence(c, STEP)).await?;
        total += n;
        if SINCE_TIDY.fetch_add(n as u64, Ordering::Relaxed) + n as u64 >= TIDY_AFTER {
            SINCE_TIDY.store(0, Ordering::Relaxed);
            db::run(&state.db, store::tidy).await?;
        }
        // Fewer than a step (or none: another instance holds the head): done for now.
        if (n as i64) < STEP {
            return Ok(total);
        }
    }
}
