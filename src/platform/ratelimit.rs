//! Fixed-window rate limits over the cache seam. Windows follow the [`Clock`], so tests can
//! step into the next window.

use super::{Cache, Clock};
use crate::error::{AppError, AppResult};
use std::time::Duration;

/// Counts one hit for `key` in the current window of `window_secs`; errs with 429 past `limit`.
pub async fn hit(cache: &Cache, clock: &Clock, key: &str, limit: u64, window_secs: i64) -> AppResult<()> {
    let now = clock.now().timestamp();
    let window = now.div_euclid(window_secs);
    let n = cache.incr(&format!("rl:{key}:{window}"), Duration::from_secs(window_secs as u64 + 1)).await?;
    if n as u64 > limit {
        let retry = (window + 1) * window_secs - now;
        return Err(AppError::too_many_requests(retry.max(1) as u64));
    }
    Ok(())
}
