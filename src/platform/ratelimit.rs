//! Fixed-window rate limits over the cache seam. Windows follow the [`Clock`], so tests can
//! step into the next window.

use super::{Cache, Clock};
use crate::error::{AppError, AppResult};
use std::time::Duration;

/// Counts one hit for `key` in the current window of `window_secs`; errs with 429 past `limit`.
/// When the cache cannot be reached the hit is let through (availability first; logged).
pub async fn hit(cache: &Cache, clock: &Clock, key: &str, limit: u64, window_secs: i64) -> AppResult<()> {
    let now = clock.now().timestamp();
    let window = now.div_euclid(window_secs);
    let n = match cache.incr(&format!("rl:{key}:{window}"), Duration::from_secs(window_secs as u64 + 1)).await {
        Ok(n) => n,
        // The cache is down: let the request through rather than refuse everyone (logged).
        Err(e) => {
            tracing::warn!(error = %e, key, "rate limit not counted: the cache is unreachable");
            return Ok(());
        }
    };
    if n as u64 > limit {
        let retry = (window + 1) * window_secs - now;
        return Err(AppError::too_many_requests(retry.max(1) as u64));
    }
    Ok(())
}
