//! The cache and bus seam: values with TTL, counters, sorted sets and publish/subscribe.
//! Redis when `REDIS_URL` is set, an in-process implementation otherwise; both behave the same
//! (the `platform_cache` tests run against each). Nothing here is a source of truth.

use super::memory::MemoryCache;
use super::redis_cache::RedisCache;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Debug)]
pub struct CacheError(pub String);

impl std::fmt::Display for CacheError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cache: {}", self.0)
    }
}

impl From<CacheError> for crate::error::AppError {
    fn from(e: CacheError) -> Self {
        crate::error::AppError::internal(e)
    }
}

pub type CacheResult<T> = Result<T, CacheError>;

/// One member's standing on a leaderboard: its score in each of `sets` (and in no other set of
/// the board: sets it left are cleaned), guarded by a version that only grows. Members of the
/// same scopes share one list of set names.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardPut {
    pub member: String,
    pub score: f64,
    pub version: i64,
    pub sets: std::sync::Arc<[String]>,
}

/// A leaderboard read ([`Cache::board_read`]): in the set `{board}{generation}:{scope}`, where
/// the key `pointer` names the generation, the first `n` members, and `member`'s place.
#[derive(Debug, Clone, Copy)]
pub struct BoardQuery<'a> {
    pub pointer: &'a str,
    pub board: &'a str,
    pub scope: &'a str,
    pub n: u64,
    pub member: Option<&'a str>,
    /// Scores count in buckets of this width, upper bound included (a bucket is a total of
    /// points; the fraction orders ties): `above` counts the higher buckets, `at_most` the
    /// member's bucket and the lower ones (the rest of the set: one count, not two).
    pub bucket: f64,
}

/// What a [`BoardQuery`] found: the generation read, the first members (highest score first),
/// how many the set holds, and the member's score with the counts above and at most its bucket.
#[derive(Debug, Default, PartialEq)]
pub struct BoardPage {
    pub generation: i64,
    pub top: Vec<(String, f64)>,
    pub len: u64,
    pub score: Option<f64>,
    pub above: u64,
    pub at_most: u64,
}

/// The upper edge of the bucket holding `score` (see [`BoardQuery::bucket`]).
pub fn bucket_edge(score: f64, bucket: f64) -> f64 {
    (score / bucket).ceil() * bucket
}

/// Bookkeeping keys of a leaderboard `board`: member → version, member → its sets, every set.
pub fn board_keys(board: &str) -> (String, String, String) {
    (format!("{board}#ver"), format!("{board}#sets"), format!("{board}#keys"))
}

#[derive(Clone)]
pub enum Cache {
    Memory(MemoryCache),
    Redis(RedisCache),
}

macro_rules! dispatch {
    ($self:ident, $c:ident => $e:expr) => {
        match $self {
            Cache::Memory($c) => $e,
            Cache::Redis($c) => $e,
        }
    };
}

impl Cache {
    pub fn memory() -> Self {
        Cache::Memory(MemoryCache::default())
    }

    pub async fn redis(url: &str, prefix: &str) -> CacheResult<Self> {
        Ok(Cache::Redis(RedisCache::connect(url, prefix).await?))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Cache::Memory(_) => "memory",
            Cache::Redis(_) => "redis",
        }
    }

    /// Whether the cache failed to answer within the last `window` (writes made meanwhile may
    /// have reached only the database). The in-process cache never fails.
    pub fn failed_within(&self, window: Duration) -> bool {
        match self {
            Cache::Memory(_) => false,
            Cache::Redis(r) => r.failed_within(window),
        }
    }

    /// One look at the cache's health (see [`RedisCache::check_health`]); `seen` carries the
    /// epoch marker from one look to the next.
    pub async fn check_health(&self, seen: &mut Option<String>) {
        if let Cache::Redis(r) = self {
            r.check_health(seen).await;
        }
    }

    pub async fn ping(&self) -> CacheResult<()> {
        dispatch!(self, c => c.ping().await)
    }
    pub async fn get(&self, key: &str) -> CacheResult<Option<String>> {
        dispatch!(self, c => c.get(key).await)
    }
    pub async fn set(&self, key: &str, value: &str, ttl: Option<Duration>) -> CacheResult<()> {
        dispatch!(self, c => c.set(key, value, ttl).await)
    }
    /// Sets only when absent; true when this call set it.
    pub async fn set_nx(&self, key: &str, value: &str, ttl: Duration) -> CacheResult<bool> {
        dispatch!(self, c => c.set_nx(key, value, ttl).await)
    }
    pub async fn del(&self, key: &str) -> CacheResult<()> {
        dispatch!(self, c => c.del(key).await)
    }
    /// Runs `work` unless another holder (this instance or another) has the lock `key`: the lock
    /// is taken with a time to live, so a holder that crashed frees it when `ttl` passes, and is
    /// released when `work` ends either way. `None` when someone else holds it.
    pub async fn exclusively<T, E, F>(&self, key: &str, ttl: Duration, work: F) -> Result<Option<T>, E>
    where
        F: std::future::Future<Output = Result<T, E>>,
        E: From<CacheError>,
    {
        if !self.set_nx(key, "1", ttl).await? {
            return Ok(None);
        }
        let done = work.await;
        self.del(key).await?;
        done.map(Some)
    }
    /// Increments a counter; the first increment starts its time to live.
    pub async fn incr(&self, key: &str, ttl: Duration) -> CacheResult<i64> {
        dispatch!(self, c => c.incr(key, ttl).await)
    }
    pub async fn zincrby(&self, set: &str, member: &str, by: f64) -> CacheResult<f64> {
        dispatch!(self, c => c.zincrby(set, member, by).await)
    }
    /// 0-based rank, highest score first.
    pub async fn zrevrank(&self, set: &str, member: &str) -> CacheResult<Option<u64>> {
        dispatch!(self, c => c.zrevrank(set, member).await)
    }
    /// Members from `start` to `stop` inclusive, highest score first.
    pub async fn zrevrange(&self, set: &str, start: u64, stop: u64) -> CacheResult<Vec<(String, f64)>> {
        dispatch!(self, c => c.zrevrange(set, start, stop).await)
    }
    /// Members in each `(min, max)` score range (Redis syntax: `(5` exclusive, `+inf`), one
    /// round trip for all.
    pub async fn zcounts(&self, set: &str, ranges: &[(String, String)]) -> CacheResult<Vec<u64>> {
        dispatch!(self, c => c.zcounts(set, ranges).await)
    }
    /// One leaderboard read in one round trip (one script on Redis); `None` when the pointer
    /// names no generation yet.
    pub async fn board_read(&self, q: BoardQuery<'_>) -> CacheResult<Option<BoardPage>> {
        dispatch!(self, c => c.board_read(q).await)
    }
    /// Records members' scores on a leaderboard (see [`BoardPut`]); a put whose version is not
    /// newer than the member's last one is ignored, so late or repeated puts never go back.
    pub async fn board_put(&self, board: &str, puts: &[BoardPut]) -> CacheResult<()> {
        dispatch!(self, c => c.board_put(board, puts).await)
    }
    /// Removes a leaderboard: every set it wrote, and its bookkeeping.
    pub async fn board_drop(&self, board: &str) -> CacheResult<()> {
        dispatch!(self, c => c.board_drop(board).await)
    }
    pub async fn publish(&self, channel: &str, message: &str) -> CacheResult<()> {
        dispatch!(self, c => c.publish(channel, message).await)
    }
    /// Messages published on `channel` after this call returns.
    pub async fn subscribe(&self, channel: &str) -> CacheResult<mpsc::Receiver<String>> {
        dispatch!(self, c => c.subscribe(channel).await)
    }
}

/// How recently a failed answer (or a health ping without a pong within 1 s) makes a
/// subscription on the bus suspect: a hung Redis keeps its subscriptions open and delivers
/// nothing, so followers of the bus drop them and subscribe again once it answers.
pub const BUS_DOUBT: Duration = Duration::from_secs(3);

/// Whether the bus can vouch for what it (did not) deliver: no failure within [`BUS_DOUBT`].
pub fn bus_trusted(cache: &Cache) -> bool {
    !cache.failed_within(BUS_DOUBT)
}

/// Looks at the cache's health every second, so that every instance learns of an outage (and
/// asks the database about revocations afterwards) even when it served no request meanwhile.
pub async fn watch(cache: Cache, mut stop: tokio::sync::watch::Receiver<bool>) {
    if matches!(cache, Cache::Memory(_)) {
        return;
    }
    let mut seen = None;
    loop {
        cache.check_health(&mut seen).await;
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}
