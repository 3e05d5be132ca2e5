//! The cache and bus seam: the same checks against the in-process and the Redis implementation.

use lvzhi::platform::Cache;
use std::time::Duration;

async fn caches() -> Vec<Cache> {
    let mut v = vec![Cache::memory()];
    if let Ok(url) = std::env::var("TEST_REDIS_URL") {
        if !url.is_empty() {
            let prefix = format!("lvzhi-test:{}:", uuid::Uuid::new_v4().simple());
            v.push(Cache::redis(&url, &prefix).await.expect("TEST_REDIS_URL must be reachable"));
        }
    }
    v
}

#[tokio::test]
async fn values_counters_and_ttl() {
    for c in caches().await {
        let b = c.backend();
        c.ping().await.unwrap();
        assert_eq!(c.get("k").await.unwrap(), None, "{b}");
        c.set("k", "v", None).await.unwrap();
        assert_eq!(c.get("k").await.unwrap().as_deref(), Some("v"), "{b}");
        c.del("k").await.unwrap();
        assert_eq!(c.get("k").await.unwrap(), None, "{b}");
        assert!(c.set_nx("once", "1", Duration::from_secs(5)).await.unwrap(), "{b}");
        assert!(!c.set_nx("once", "2", Duration::from_secs(5)).await.unwrap(), "{b}");
        assert_eq!(c.incr("n", Duration::from_secs(5)).await.unwrap(), 1, "{b}");
        assert_eq!(c.incr("n", Duration::from_secs(5)).await.unwrap(), 2, "{b}");
        c.set("short", "x", Some(Duration::from_millis(50))).await.unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while c.get("short").await.unwrap().is_some() {
            assert!(std::time::Instant::now() < deadline, "{b}: TTL never expired");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn sorted_sets_rank_highest_first() {
    for c in caches().await {
        let b = c.backend();
        c.zincrby("board", "a", 5.0).await.unwrap();
        c.zincrby("board", "b", 7.0).await.unwrap();
        assert_eq!(c.zincrby("board", "a", 3.0).await.unwrap(), 8.0, "{b}");
        c.zincrby("board", "c", 1.0).await.unwrap();
        assert_eq!(c.zrevrank("board", "a").await.unwrap(), Some(0), "{b}");
        assert_eq!(c.zrevrank("board", "c").await.unwrap(), Some(2), "{b}");
        assert_eq!(c.zrevrank("board", "zz").await.unwrap(), None, "{b}");
        let top = c.zrevrange("board", 0, 1).await.unwrap();
        assert_eq!(top, vec![("a".to_string(), 8.0), ("b".to_string(), 7.0)], "{b}");
    }
}

#[tokio::test]
async fn publish_reaches_subscribers() {
    for c in caches().await {
        let b = c.backend();
        let mut rx = c.subscribe("news").await.unwrap();
        // Redis subscriptions become active asynchronously: publish until one arrives, with a deadline.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let got = loop {
            c.publish("news", "hello").await.unwrap();
            if let Ok(Some(m)) = tokio::time::timeout(Duration::from_millis(100), rx.recv()).await {
                break m;
            }
            assert!(std::time::Instant::now() < deadline, "{b}: nothing arrived");
        };
        assert_eq!(got, "hello", "{b}");
    }
}
