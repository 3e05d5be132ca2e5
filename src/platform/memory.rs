//! In-process implementation of the cache and bus seam, for one instance without Redis.

use super::cache::{board_keys, bucket_edge, BoardPage, BoardPut, BoardQuery, CacheResult};
use super::zset::ZSet;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc};

#[derive(Default)]
struct Inner {
    values: HashMap<String, (String, Option<Instant>)>,
    // (foldhash: every award's board put looks up about eleven set names here.)
    zsets: foldhash::HashMap<String, ZSet>,
    hashes: foldhash::HashMap<String, foldhash::HashMap<String, String>>,
    channels: HashMap<String, broadcast::Sender<String>>,
}

#[derive(Clone, Default)]
pub struct MemoryCache {
    inner: Arc<Mutex<Inner>>,
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
        let z = g.zsets.entry(set.to_string()).or_default();
        let score = z.score(member).unwrap_or(0.0) + by;
        z.insert(member, score);
        Ok(score)
    }

    pub async fn zrevrank(&self, set: &str, member: &str) -> CacheResult<Option<u64>> {
        Ok(self.lock().zsets.get(set).and_then(|z| z.rev_rank(member)).map(|r| r as u64))
    }

    pub async fn zrevrange(&self, set: &str, start: u64, stop: u64) -> CacheResult<Vec<(String, f64)>> {
        Ok(self.lock().zsets.get(set).map(|z| z.rev_range(start as usize, stop as usize)).unwrap_or_default())
    }

    pub async fn zcounts(&self, set: &str, ranges: &[(String, String)]) -> CacheResult<Vec<u64>> {
        let g = self.lock();
        Ok(ranges.iter().map(|(lo, hi)| g.zsets.get(set).map(|z| z.count(lo, hi) as u64).unwrap_or(0)).collect())
    }

    pub async fn board_read(&self, q: BoardQuery<'_>) -> CacheResult<Option<BoardPage>> {
        let g = self.lock();
        let Some(generation) = g.values.get(q.pointer).filter(|e| live(e)).and_then(|e| e.0.parse::<i64>().ok()) else { return Ok(None) };
        let mut page = BoardPage { generation, ..Default::default() };
        let Some(z) = g.zsets.get(&format!("{}{generation}:{}", q.board, q.scope)) else { return Ok(Some(page)) };
        page.top = if q.n == 0 { vec![] } else { z.rev_range(0, q.n as usize - 1) };
        page.len = z.len() as u64;
        page.score = q.member.and_then(|m| z.score(m));
        if let Some(s) = page.score {
            let edge = bucket_edge(s, q.bucket);
            page.above = z.count(&format!("({edge}"), "+inf") as u64;
            page.at_most = page.len - page.above;
        }
        Ok(Some(page))
    }

    pub async fn board_put(&self, board: &str, puts: &[BoardPut]) -> CacheResult<()> {
        let (ver, sets, all) = board_keys(board);
        let mut guard = self.lock();
        let g = &mut *guard;
        for key in [&ver, &sets, &all] {
            g.hashes.entry(key.clone()).or_default();
        }
        for p in puts {
            let stored = g.hashes.get(&ver).and_then(|h| h.get(&p.member)).and_then(|v| v.parse::<i64>().ok()).unwrap_or(-1);
            if p.version <= stored {
                continue;
            }
            if let Some(h) = g.hashes.get_mut(&ver) {
                h.insert(p.member.clone(), p.version.to_string());
            }
            let now = p.sets.join(",");
            let old = g.hashes.get(&sets).and_then(|h| h.get(&p.member)).cloned().unwrap_or_default();
            if old != now {
                for gone in old.split(',').filter(|s| !s.is_empty() && !p.sets.iter().any(|n| n == s)) {
                    if let Some(z) = g.zsets.get_mut(gone) {
                        z.remove(&p.member);
                    }
                }
                if let Some(h) = g.hashes.get_mut(&sets) {
                    h.insert(p.member.clone(), now);
                }
            }
            for s in &p.sets {
                // (Looked up before inserting: the sets mostly exist, and an entry copies the name.)
                match g.zsets.get_mut(s) {
                    Some(z) => z.insert(&p.member, p.score),
                    None => {
                        g.zsets.entry(s.clone()).or_default().insert(&p.member, p.score);
                        if let Some(h) = g.hashes.get_mut(&all) {
                            h.insert(s.clone(), String::new());
                        }
                    }
                }
            }
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
