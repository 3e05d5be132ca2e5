//! In-process implementation of the cache and bus seam, for one instance without Redis.

use super::cache::{bucket_edge, BoardPage, BoardPut, BoardQuery, CacheResult};
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
    boards: foldhash::HashMap<String, Board>,
    channels: HashMap<String, broadcast::Sender<String>>,
}

/// A leaderboard's bookkeeping (Redis keeps it in the `#ver`, `#sets` and `#keys` hashes): each
/// member's last version and the sets it is in, and every set the board wrote.
#[derive(Default)]
struct Board {
    members: foldhash::HashMap<String, (i64, Arc<[String]>)>,
    sets: foldhash::HashSet<String>,
}

/// Puts applied under one hold of the lock; the worker yields between chunks, so a drain of a
/// thousand awards never holds the lock (or its thread) for more than about a millisecond.
const PUTS_PER_LOCK: usize = 64;

#[derive(Clone, Default)]
pub struct MemoryCache {
    inner: Arc<Mutex<Inner>>,
}

fn live(entry: &(String, Option<Instant>)) -> bool {
    entry.1.is_none_or(|exp| exp > Instant::now())
}

/// One put (see [`BoardPut`]): unless its version is not newer than the member's last, the
/// member leaves the sets it is no longer in and takes its score in the others.
fn put(b: &mut Board, zsets: &mut foldhash::HashMap<String, ZSet>, p: &BoardPut) {
    let old = match b.members.get_mut(&p.member) {
        Some((v, _)) if *v >= p.version => return,
        Some((v, sets)) => {
            *v = p.version;
            // (Puts of one drain share their lists: mostly the very same one.)
            (!Arc::ptr_eq(sets, &p.sets) && **sets != *p.sets).then(|| std::mem::replace(sets, p.sets.clone()))
        }
        None => {
            b.members.insert(p.member.clone(), (p.version, p.sets.clone()));
            None
        }
    };
    for gone in old.iter().flat_map(|o| o.iter()).filter(|s| !p.sets.contains(s)) {
        if let Some(z) = zsets.get_mut(gone) {
            z.remove(&p.member);
        }
    }
    for s in p.sets.iter() {
        // (Looked up before inserting: the sets mostly exist, and an entry copies the name.)
        match zsets.get_mut(s) {
            Some(z) => z.insert(&p.member, p.score),
            None => {
                zsets.entry(s.clone()).or_default().insert(&p.member, p.score);
                b.sets.insert(s.clone());
            }
        }
    }
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
        let Some(generation) = g.values.get(q.pointer).filter(|e| live(e)).and_then(|e| e.0.parse::<i64>().ok()) else {
            return Ok(None);
        };
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
        for (i, chunk) in puts.chunks(PUTS_PER_LOCK).enumerate() {
            if i > 0 {
                tokio::task::yield_now().await;
            }
            let mut guard = self.lock();
            let g = &mut *guard;
            let b = match g.boards.get_mut(board) {
                Some(b) => b,
                None => g.boards.entry(board.to_string()).or_default(),
            };
            for p in chunk {
                put(b, &mut g.zsets, p);
            }
        }
        Ok(())
    }

    pub async fn board_drop(&self, board: &str) -> CacheResult<()> {
        let mut g = self.lock();
        if let Some(b) = g.boards.remove(board) {
            for s in b.sets {
                g.zsets.remove(&s);
            }
        }
        Ok(())
    }

    pub async fn publish(&self, channel: &str, message: &str) -> CacheResult<()> {
        if let Some(tx) = self.lock().channels.get(channel) {
            let _ = tx.send(message.to_string());
        }
        Ok(())
    }

    pub async fn subscribe(&self, channel: &str) -> CacheResult<mpsc::Receiver<String>> {
        let mut rx =
            self.lock().channels.entry(channel.to_string()).or_insert_with(|| broadcast::channel(1024).0).subscribe();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn put(member: &str, score: f64, version: i64, sets: &[&str]) -> BoardPut {
        BoardPut { member: member.into(), score, version, sets: sets.iter().map(|s| s.to_string()).collect() }
    }

    #[tokio::test]
    async fn a_board_put_moves_members_between_sets_by_version_and_a_drop_removes_every_set() {
        let c = MemoryCache::default();
        // More puts than one hold of the lock takes.
        let many: Vec<BoardPut> = (0..200).map(|i| put(&format!("m{i}"), i as f64, 1, &["b:all", "b:r1"])).collect();
        c.board_put("b", &many).await.unwrap();
        assert_eq!(c.zrevrank("b:all", "m199").await.unwrap(), Some(0));
        assert_eq!(c.zrevrank("b:r1", "m0").await.unwrap(), Some(199));
        // An older version changes nothing; a newer one leaves r1 and joins r2 at its new score.
        c.board_put("b", &[put("m0", 500.0, 0, &["b:all", "b:r9"])]).await.unwrap();
        assert_eq!(c.zrevrank("b:r9", "m0").await.unwrap(), None);
        c.board_put("b", &[put("m0", 500.0, 2, &["b:all", "b:r2"])]).await.unwrap();
        assert_eq!(c.zrevrank("b:all", "m0").await.unwrap(), Some(0));
        assert_eq!(c.zrevrank("b:r1", "m0").await.unwrap(), None);
        assert_eq!(c.zrevrank("b:r2", "m0").await.unwrap(), Some(0));
        // The same version again is not newer.
        c.board_put("b", &[put("m0", 1.0, 2, &["b:all"])]).await.unwrap();
        assert_eq!(c.zrevrank("b:r2", "m0").await.unwrap(), Some(0));
        c.board_drop("b").await.unwrap();
        for set in ["b:all", "b:r1", "b:r2"] {
            assert!(c.zrevrange(set, 0, 10).await.unwrap().is_empty(), "{set}");
        }
    }
}
