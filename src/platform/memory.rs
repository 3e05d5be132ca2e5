//! In-process implementation of the cache and bus seam, for one instance without Redis.

use super::cache::{board_keys, BoardPut, CacheResult};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc};

#[derive(Default)]
struct Inner {
    values: HashMap<String, (String, Option<Instant>)>,
    zsets: HashMap<String, HashMap<String, f64>>,
    hashes: HashMap<String, HashMap<String, String>>,
    channels: HashMap<String, broadcast::Sender<String>>,
}

#[derive(Clone, Default)]
pub struct MemoryCache {
    inner: Arc<Mutex<Inner>>,
}

/// Whether `s` is above a Redis range bound (`(5` exclusive, `5` inclusive, `-inf`).
fn above(s: f64, lo: &str) -> bool {
    match lo.strip_prefix('(') {
        Some(x) => x.parse::<f64>().map(|x| s > x).unwrap_or(false),
        None if lo == "-inf" => true,
        None => lo.parse::<f64>().map(|x| s >= x).unwrap_or(false),
    }
}

/// Whether `s` is below a Redis range bound (`(5` exclusive, `5` inclusive, `+inf`).
fn below(s: f64, hi: &str) -> bool {
    match hi.strip_prefix('(') {
        Some(x) => x.parse::<f64>().map(|x| s < x).unwrap_or(false),
        None if hi == "+inf" => true,
        None => hi.parse::<f64>().map(|x| s <= x).unwrap_or(false),
    }
}

fn live(entry: &(String, Option<Instant>)) -> bool {
    entry.1.is_none_or(|exp| exp > Instant::now())
}

impl MemoryCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means another thread panicked mid-update of a cache; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn ping(&self) -> CacheResult<()> {
        Ok(())
    }

    pub async fn get(&self, key: &str) -> CacheResult<Option<String>> {
        let g = self.lock();
        Ok(g.values.get(key).filter(|e| live(e)).map(|e| e.0.clone()))
    }

    pub async fn set(&self, key: &str, value: &str, ttl: Option<Duration>) -> CacheResult<()> {
        let mut g = self.lock();
        if g.values.len() > 10_000 {
            g.values.retain(|_, e| live(e));
        }
        g.values.insert(key.to_string(), (value.to_string(), ttl.map(|t| Instant::now() + t)));
        Ok(())
    }

    pub async fn set_nx(&self, key: &str, value: &str, ttl: Duration) -> CacheResult<bool> {
        let mut g = self.lock();
        if g.values.get(key).is_some_and(live) {
            return Ok(false);
        }
        g.values.insert(key.to_string(), (value.to_string(), Some(Instant::now() + ttl)));
        Ok(true)
    }

    pub async fn del(&self, key: &str) -> CacheResult<()> {
        self.lock().values.remove(key);
        Ok(())
    }

    pub async fn incr(&self, key: &str, ttl: Duration) -> CacheResult<i64> {
        let mut g = self.lock();
        let (n, exp) = match g.values.get(key).filter(|e| live(e)) {
            Some((v, exp)) => (v.parse::<i64>().unwrap_or(0) + 1, *exp),
            None => (1, Some(Instant::now() + ttl)),
        };
        g.values.insert(key.to_string(), (n.to_string(), exp));
        Ok(n)
    }

    pub async fn zincrby(&self, set: &str, member: &str, by: f64) -> CacheResult<f64> {
        let mut g = self.lock();
        let score = g.zsets.entry(set.to_string()).or_default().entry(member.to_string()).or_insert(0.0);
        *score += by;
        Ok(*score)
    }

    fn sorted(&self, set: &str) -> Vec<(String, f64)> {
        let g = self.lock();
        let mut v: Vec<(String, f64)> = g.zsets.get(set).map(|m| m.iter().map(|(k, s)| (k.clone(), *s)).collect()).unwrap_or_default();
        // Redis orders equal scores by member, descending, in ZREVRANGE.
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
        v
    }

    pub async fn zrevrank(&self, set: &str, member: &str) -> CacheResult<Option<u64>> {
        Ok(self.sorted(set).iter().position(|(m, _)| m == member).map(|p| p as u64))
    }

    pub async fn zrevrange(&self, set: &str, start: u64, stop: u64) -> CacheResult<Vec<(String, f64)>> {
        Ok(self.sorted(set).into_iter().skip(start as usize).take((stop.saturating_sub(start) + 1) as usize).collect())
    }

    pub async fn zcounts(&self, set: &str, ranges: &[(String, String)]) -> CacheResult<Vec<u64>> {
        let g = self.lock();
        let empty = HashMap::new();
        let z = g.zsets.get(set).unwrap_or(&empty);
        Ok(ranges.iter().map(|(lo, hi)| z.values().filter(|s| above(**s, lo) && below(**s, hi)).count() as u64).collect())
    }

    pub async fn zcard_score(&self, set: &str, member: Option<&str>) -> CacheResult<(u64, Option<f64>)> {
        let g = self.lock();
        let z = g.zsets.get(set);
        Ok((z.map(|z| z.len() as u64).unwrap_or(0), member.and_then(|m| z.and_then(|z| z.get(m).copied()))))
    }

    pub async fn board_put(&self, board: &str, puts: &[BoardPut]) -> CacheResult<()> {
        let (ver, sets, all) = board_keys(board);
        let mut g = self.lock();
        for p in puts {
            let stored = g.hashes.get(&ver).and_then(|h| h.get(&p.member)).and_then(|v| v.parse::<i64>().ok()).unwrap_or(-1);
            if p.version <= stored {
                continue;
            }
            g.hashes.entry(ver.clone()).or_default().insert(p.member.clone(), p.version.to_string());
            let old = g.hashes.get(&sets).and_then(|h| h.get(&p.member)).cloned().unwrap_or_default();
            for gone in old.split(',').filter(|s| !s.is_empty() && !p.sets.iter().any(|n| n == s)) {
                if let Some(z) = g.zsets.get_mut(gone) {
                    z.remove(&p.member);
                }
            }
            for s in &p.sets {
                g.zsets.entry(s.clone()).or_default().insert(p.member.clone(), p.score);
                g.hashes.entry(all.clone()).or_default().insert(s.clone(), String::new());
            }
            g.hashes.entry(sets.clone()).or_default().insert(p.member.clone(), p.sets.join(","));
        }
        Ok(())
    }

    pub async fn board_drop(&self, board: &str) -> CacheResult<()> {
        let (ver, sets, all) = board_keys(board);
        let mut g = self.lock();
        let members: Vec<String> = g.hashes.remove(&all).map(|h| h.into_keys().collect()).unwrap_or_default();
        for s in members {
            g.zsets.remove(&s);
        }
        g.hashes.remove(&ver);
        g.hashes.remove(&sets);
        Ok(())
    }

    pub async fn publish(&self, channel: &str, message: &str) -> CacheResult<()> {
        if let Some(tx) = self.lock().channels.get(channel) {
            let _ = tx.send(message.to_string());
        }
        Ok(())
    }

    pub async fn subscribe(&self, channel: &str) -> CacheResult<mpsc::Receiver<String>> {
        let mut rx = self.lock().channels.entry(channel.to_string()).or_insert_with(|| broadcast::channel(1024).0).subscribe();
        let (tx, out) = mpsc::channel(1024);
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(m) => {
                        if tx.send(m).await.is_err() {
                            break;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        });
        Ok(out)
    }
}
