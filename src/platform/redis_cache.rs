//! Redis implementation of the cache and bus seam (redis crate, tokio, connection manager).
//! Every key and channel carries the configured prefix.

use super::cache::{board_keys, BoardPage, BoardPut, BoardQuery, CacheError, CacheResult};
use super::redis_scripts::{BOARD_DROP, BOARD_PUT, BOARD_READ};
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use std::time::Duration;
use tokio::sync::mpsc;

#[derive(Clone)]
pub struct RedisCache {
    client: redis::Client,
    conn: ConnectionManager,
    prefix: String,
    /// Until when (Unix ms) Redis counts as down after a connection failure: calls fail at
    /// once instead of each waiting out a timeout, and callers take their fallback.
    down_until: std::sync::Arc<std::sync::atomic::AtomicI64>,
    /// When Redis last failed to answer (ms since the epoch; 0: never).
    failed_at: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

/// How long a connection failure sends callers to their fallbacks before Redis is tried again.
const DOWN_FOR_MS: i64 = 3000;

fn err(e: redis::RedisError) -> CacheError {
    CacheError(e.to_string())
}

impl RedisCache {
    pub async fn connect(url: &str, prefix: &str) -> CacheResult<Self> {
        let client = redis::Client::open(url).map_err(err)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let conn =
            tokio::time::timeout(Duration::from_secs(5), ConnectionManager::new_with_config(client.clone(), config))
                .await
                .map_err(|_| CacheError("timed out connecting to Redis".into()))?
                .map_err(err)?;
        Ok(RedisCache {
            client,
            conn,
            prefix: prefix.to_string(),
            down_until: Default::default(),
            failed_at: Default::default(),
        })
    }

    /// The connection, unless Redis failed a moment ago.
    fn conn(&self) -> CacheResult<ConnectionManager> {
        use std::sync::atomic::Ordering;
        if chrono::Utc::now().timestamp_millis() < self.down_until.load(Ordering::Relaxed) {
            return Err(CacheError("Redis is unreachable (failed a moment ago)".into()));
        }
        Ok(self.conn.clone())
    }

    /// Reads a reply; a connection failure or timeout marks Redis down for a moment.
    fn seen<T>(&self, r: Result<T, redis::RedisError>) -> CacheResult<T> {
        if let Err(e) = &r {
            if e.is_io_error() || e.is_timeout() || e.is_connection_dropped() || e.is_connection_refusal() {
                let now = chrono::Utc::now().timestamp_millis();
                self.down_until.store(now + DOWN_FOR_MS, std::sync::atomic::Ordering::Relaxed);
                self.failed_at.store(now, std::sync::atomic::Ordering::Relaxed);
            }
        }
        r.map_err(err)
    }

    /// Records a failure now (see [`Self::failed_within`]).
    pub fn mark_failed(&self) {
        self.failed_at.store(chrono::Utc::now().timestamp_millis(), std::sync::atomic::Ordering::Relaxed);
    }

    /// One look at Redis's health: a ping (a failure is recorded by the reply), then the epoch
    /// marker — when the value this instance saw last is gone or changed, Redis lost its data
    /// (restarted without persistence, flushed), which counts as a failure too.
    pub async fn check_health(&self, seen: &mut Option<String>) {
        const EPOCH: &str = "epoch";
        // A hung Redis answers nothing: a second without a pong counts as a failure (the
        // commands' own timeout is 2 s), so it is noticed about two seconds after it hangs.
        match tokio::time::timeout(std::time::Duration::from_secs(1), self.ping()).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return,
            Err(_) => {
                self.mark_failed();
                return;
            }
        }
        let current = match self.get(EPOCH).await {
            Ok(Some(v)) => v,
            Ok(None) => {
                let fresh = uuid::Uuid::new_v4().simple().to_string();
                if self.set_nx(EPOCH, &fresh, Duration::from_secs(400 * 86_400)).await.is_err() {
                    return;
                }
                match self.get(EPOCH).await {
                    Ok(Some(v)) => v,
                    _ => return,
                }
            }
            Err(_) => return,
        };
        if seen.as_ref().is_some_and(|s| *s != current) {
            tracing::warn!(
                "Redis lost its data (epoch marker changed); revocations are read from the database for a while"
            );
            self.mark_failed();
        }
        *seen = Some(current);
    }

    /// Whether Redis failed to answer within the last `window`.
    pub fn failed_within(&self, window: std::time::Duration) -> bool {
        let at = self.failed_at.load(std::sync::atomic::Ordering::Relaxed);
        at > 0 && chrono::Utc::now().timestamp_millis() - at < window.as_millis() as i64
    }

    fn k(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    async fn q<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> CacheResult<T> {
        let mut c = self.conn()?;
        self.seen(cmd.query_async(&mut c).await)
    }

    pub async fn ping(&self) -> CacheResult<()> {
        self.q::<String>(&redis::cmd("PING")).await.map(|_| ())
    }

    pub async fn get(&self, key: &str) -> CacheResult<Option<String>> {
        self.q(redis::cmd("GET").arg(self.k(key))).await
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Option<Duration>) -> CacheResult<()> {
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.k(key)).arg(value);
        if let Some(t) = ttl {
            cmd.arg("PX").arg(t.as_millis().max(1) as u64);
        }
        self.q::<()>(&cmd).await
    }

    pub async fn set_nx(&self, key: &str, value: &str, ttl: Duration) -> CacheResult<bool> {
        let r: Option<String> = self
            .q(redis::cmd("SET").arg(self.k(key)).arg(value).arg("NX").arg("PX").arg(ttl.as_millis().max(1) as u64))
            .await?;
        Ok(r.is_some())
    }

    pub async fn del(&self, key: &str) -> CacheResult<()> {
        self.q::<()>(redis::cmd("DEL").arg(self.k(key))).await
    }

    pub async fn incr(&self, key: &str, ttl: Duration) -> CacheResult<i64> {
        let k = self.k(key);
        let mut c = self.conn()?;
        let n = redis::pipe()
            .atomic()
            .cmd("INCR")
            .arg(&k)
            .cmd("PEXPIRE")
            .arg(&k)
            .arg(ttl.as_millis().max(1) as u64)
            .arg("NX")
            .ignore()
            .query_async(&mut c)
            .await;
        let (n,): (i64,) = self.seen(n)?;
        Ok(n)
    }

    pub async fn zincrby(&self, set: &str, member: &str, by: f64) -> CacheResult<f64> {
        self.q(redis::cmd("ZINCRBY").arg(self.k(set)).arg(by).arg(member)).await
    }

    pub async fn zrevrank(&self, set: &str, member: &str) -> CacheResult<Option<u64>> {
        self.q(redis::cmd("ZREVRANK").arg(self.k(set)).arg(member)).await
    }

    pub async fn zrevrange(&self, set: &str, start: u64, stop: u64) -> CacheResult<Vec<(String, f64)>> {
        self.q(redis::cmd("ZREVRANGE").arg(self.k(set)).arg(start).arg(stop).arg("WITHSCORES")).await
    }

    pub async fn zcounts(&self, set: &str, ranges: &[(String, String)]) -> CacheResult<Vec<u64>> {
        // An empty pipeline is an error to Redis ("empty command"): nothing to count is no counts.
        if ranges.is_empty() {
            return Ok(vec![]);
        }
        let k = self.k(set);
        let mut p = redis::pipe();
        for (lo, hi) in ranges {
            p.cmd("ZCOUNT").arg(&k).arg(lo).arg(hi);
        }
        let mut c = self.conn()?;
        self.seen(p.query_async(&mut c).await)
    }

    pub async fn board_read(&self, q: BoardQuery<'_>) -> CacheResult<Option<BoardPage>> {
        type Reply = Option<(String, Vec<String>, u64, Option<String>, u64, u64)>;
        let mut inv = BOARD_READ.prepare_invoke();
        inv.key(self.k(q.pointer)).arg(self.k(q.board)).arg(q.scope).arg(q.n).arg(q.member.unwrap_or("")).arg(q.bucket);
        let mut c = self.conn()?;
        let Some((generation, flat, len, score, above, at_most)) =
            self.seen(inv.invoke_async::<Reply>(&mut c).await)?
        else {
            return Ok(None);
        };
        let bad = |what: &str| CacheError(format!("board_read: {what} is not a number"));
        let top = flat
            .chunks_exact(2)
            .map(|p| Ok((p[0].clone(), p[1].parse::<f64>().map_err(|_| bad("a score"))?)))
            .collect::<CacheResult<Vec<_>>>()?;
        Ok(Some(BoardPage {
            generation: generation.parse().map_err(|_| bad("the generation"))?,
            top,
            len,
            score: score.map(|s| s.parse::<f64>().map_err(|_| bad("the score"))).transpose()?,
            above,
            at_most,
        }))
    }

    pub async fn board_put(&self, board: &str, puts: &[BoardPut]) -> CacheResult<()> {
        let (ver, sets, all) = board_keys(board);
        let mut inv = BOARD_PUT.prepare_invoke();
        inv.key(self.k(&ver)).key(self.k(&sets)).key(self.k(&all)).arg(&self.prefix);
        for p in puts {
            inv.arg(&p.member).arg(p.score).arg(p.version).arg(p.sets.join(","));
        }
        let mut c = self.conn()?;
        self.seen(inv.invoke_async::<()>(&mut c).await)
    }

    pub async fn board_drop(&self, board: &str) -> CacheResult<()> {
        let (ver, sets, all) = board_keys(board);
        let mut c = self.conn()?;
        self.seen(
            BOARD_DROP
                .key(self.k(&ver))
                .key(self.k(&sets))
                .key(self.k(&all))
                .arg(&self.prefix)
                .invoke_async::<()>(&mut c)
                .await,
        )
    }

    pub async fn publish(&self, channel: &str, message: &str) -> CacheResult<()> {
        self.q::<i64>(redis::cmd("PUBLISH").arg(self.k(channel)).arg(message)).await.map(|_| ())
    }

    pub async fn subscribe(&self, channel: &str) -> CacheResult<mpsc::Receiver<String>> {
        let mut ps = self.client.get_async_pubsub().await.map_err(err)?;
        ps.subscribe(self.k(channel)).await.map_err(err)?;
        let (tx, rx) = mpsc::channel(1024);
        tokio::spawn(async move {
            let mut stream = ps.into_on_message();
            while let Some(msg) = stream.next().await {
                let Ok(payload) = msg.get_payload::<String>() else { continue };
                if tx.send(payload).await.is_err() {
                    break;
                }
            }
        });
        Ok(rx)
    }
}
