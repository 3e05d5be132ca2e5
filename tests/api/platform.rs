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

#[tokio::test]
async fn batched_writes_share_commits_and_a_failing_job_takes_no_other_down() {
    use diesel::RunQueryDsl;
    // One writer thread, held by a gate job until all 60 jobs are queued: they then run as
    // shared transactions, deterministically.
    let app = crate::helpers::spawn_with(&[("LVZHI_DB_WRITERS", "1")]).await;
    app.raw_sql("CREATE TABLE batch_probe (id BIGINT PRIMARY KEY)").unwrap();
    let (jobs0, tx0, _) = app.state.db.writer.counts.snapshot();
    let (open, gate) = std::sync::mpsc::channel::<()>();
    let writer = app.state.db.writer.clone();
    let (started, running) = tokio::sync::oneshot::channel::<()>();
    let held = tokio::spawn(async move {
        writer
            .solo(move |_| {
                let _ = started.send(());
                Ok(gate.recv_timeout(Duration::from_secs(20)).is_ok())
            })
            .await
    });
    running.await.unwrap();
    let jobs = (0..60i64).map(|i| {
        let db = app.state.db.clone();
        async move {
            db.batch(move |c| {
                diesel::sql_query(format!("INSERT INTO batch_probe (id) VALUES ({i})")).execute(c)?;
                if i == 37 {
                    // Fails after writing: its row must be rolled back, the others kept.
                    return Err(lvzhi::error::AppError::conflict("probe", "refused on purpose"));
                }
                Ok(i)
            })
            .await
        }
    });
    let all = futures_util::future::join_all(jobs);
    let opener = async {
        // The jobs are queued once polled; open the gate on the next turn.
        tokio::task::yield_now().await;
        open.send(()).unwrap();
    };
    let (results, ()) = tokio::join!(all, opener);
    assert!(held.await.unwrap().unwrap(), "the gate was opened, not timed out");
    let failed: Vec<i64> = (0..60).filter(|i| results[*i as usize].is_err()).collect();
    assert_eq!(failed, vec![37]);
    for (i, r) in results.iter().enumerate() {
        if let Err(e) = r {
            assert_eq!(e.code, "probe", "job {i}");
        }
    }
    // DELETE answers how many rows there were: every successful job's, none of the failed ones'.
    assert_eq!(app.raw_sql("DELETE FROM batch_probe WHERE id = 37").unwrap(), 0);
    assert_eq!(app.raw_sql("DELETE FROM batch_probe").unwrap(), 59);
    let (jobs, tx, fallbacks) = app.state.db.writer.counts.snapshot();
    assert!(jobs - jobs0 >= 60, "{jobs0} → {jobs}");
    assert!(fallbacks >= 1, "a failing job in a shared transaction makes it fall back");
    // The gate; the shared attempt, rolled back; job 37 alone; the other 59 together.
    assert_eq!(tx - tx0, 4, "60 jobs shared transactions");
    let m = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(m.contains("lvzhi_db_writer_count{kind=\"jobs\"}"), "{m}");
}
