//! Resident memory of the bench process. The server, the load generator and the fake gateway
//! share it, so each figure is an upper bound of the server's own: now, and the peak a sampler
//! saw (every 50 ms) since it was last reset.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A `kB` field (`VmRSS:`, `RssAnon:`, …) of `/proc/<pid>/status`; `pid` may be `self` (0 where
/// /proc is missing).
pub fn status_kb(pid: &str, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// VmRSS of this process in MB.
pub fn rss_mb() -> f64 {
    status_kb("self", "VmRSS:") as f64 / 1024.0
}

/// The highest RSS seen by a background sampler.
#[derive(Clone, Default)]
pub struct Peak(Arc<AtomicU64>);

impl Peak {
    /// Starts sampling on the runtime.
    pub fn start() -> Peak {
        let peak = Peak::default();
        let p = peak.clone();
        tokio::spawn(async move {
            loop {
                p.0.fetch_max((rss_mb() * 1024.0) as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        peak
    }

    /// The peak since the last reset, in MB; starts a new window.
    pub fn take(&self) -> f64 {
        let kb = self.0.swap((rss_mb() * 1024.0) as u64, Ordering::Relaxed);
        kb.max((rss_mb() * 1024.0) as u64) as f64 / 1024.0
    }
}
