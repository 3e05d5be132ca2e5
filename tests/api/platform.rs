//! The cache and bus seam: the same checks against the in-process and the Redis implementation.

use lvzhi::platform::cache::{BoardPage, BoardQuery};
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
        // A leaderboard read: the generation the pointer names, then that generation's set.
        let q = |n, member| BoardQuery { pointer: "lb-current", board: "lb:g", scope: "all", n, member, bucket: 4.0 };
        assert_eq!(c.board_read(q(2, Some("c"))).await.unwrap(), None, "{b}: no generation yet");
        c.set("lb-current", "3", None).await.unwrap();
        for (m, s) in [("a", 8.0), ("b", 7.0), ("c", 1.0)] {
            c.zincrby("lb:g3:all", m, s).await.unwrap();
        }
        let page = c.board_read(q(2, Some("c"))).await.unwrap().unwrap();
        // c's bucket is (0, 4]: two above it, one at most.
        assert_eq!(
            page,
            BoardPage { generation: 3, top: top.clone(), len: 3, score: Some(1.0), above: 2, at_most: 1 },
            "{b}"
        );
        // b's bucket is (4, 8]: a shares it, so nobody is above and all three are at most.
        let page = c.board_read(q(0, Some("b"))).await.unwrap().unwrap();
        assert_eq!((page.top.len(), page.score, page.above, page.at_most), (0, Some(7.0), 0, 3), "{b}");
        let page = c.board_read(q(5, Some("zz"))).await.unwrap().unwrap();
        assert_eq!((page.top.len(), page.len, page.score, page.above), (3, 3, None, 0), "{b}");
        c.set("lb-current", "4", None).await.unwrap();
        assert_eq!(
            c.board_read(q(5, None)).await.unwrap().unwrap(),
            BoardPage { generation: 4, ..Default::default() },
            "{b}"
        );
        let ranges = [
            ("(7".to_string(), "+inf".to_string()),
            ("-inf".to_string(), "7".to_string()),
            ("(8".to_string(), "1".to_string()),
        ];
        assert_eq!(c.zcounts("board", &ranges).await.unwrap(), vec![1, 2, 0], "{b}");
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

/// A bulk kind for the test: writes one row per input; 37 is refused (writes nothing); 99
/// breaks any bulk it is part of with a database error (alone it is fine).
struct Probe;

impl lvzhi::db::bulk::BulkWrite for Probe {
    type Input = i64;
    type Output = i64;
    fn many(
        &self,
        c: &mut lvzhi::db::AnyConnection,
        inputs: &[i64],
    ) -> lvzhi::error::AppResult<Vec<lvzhi::db::bulk::Outcome<i64>>> {
        use diesel::RunQueryDsl;
        use lvzhi::db::bulk::Outcome;
        if inputs.len() > 1 && inputs.contains(&99) {
            diesel::sql_query("INSERT INTO batch_probe (id) VALUES (-1), (-1)").execute(c)?;
        }
        let mut out = vec![];
        for &i in inputs {
            if i == 37 {
                out.push(Outcome::Done(Err(lvzhi::error::AppError::conflict(
                    lvzhi::error::Code::AlreadyExists,
                    "refused on purpose",
                ))));
                continue;
            }
            diesel::sql_query(format!("INSERT INTO batch_probe (id) VALUES ({i})")).execute(c)?;
            out.push(Outcome::Done(Ok(i)));
        }
        Ok(out)
    }
}

/// Holds the writer thread(s) until every submission is queued, so the bulks are deterministic.
async fn run_held(
    app: &crate::helpers::TestApp,
    bulk: &lvzhi::db::bulk::Bulk<Probe>,
    inputs: Vec<i64>,
) -> Vec<lvzhi::error::AppResult<i64>> {
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
    let all = futures_util::future::join_all(inputs.into_iter().map(|i| bulk.submit(i)));
    let opener = async {
        // The submissions are queued once polled; open the gate on the next turn.
        tokio::task::yield_now().await;
        open.send(()).unwrap();
    };
    let (results, ()) = tokio::join!(all, opener);
    assert!(held.await.unwrap().unwrap(), "the gate was opened, not timed out");
    results
}

#[tokio::test]
async fn bulk_writes_share_a_commit_and_a_failure_takes_no_other_down() {
    // One writer thread, held by a gate job until all requests are queued.
    let app = crate::helpers::spawn_with(&[("LVZHI_DB_WRITERS", "1")]).await;
    app.raw_sql("CREATE TABLE batch_probe (id BIGINT PRIMARY KEY)").unwrap();
    let bulk = lvzhi::db::bulk::Bulk::new(Probe, app.state.db.writer.clone());
    let (_, tx0, fb0) = app.state.db.writer.counts.snapshot();
    let results = run_held(&app, &bulk, (0..60).collect()).await;
    let failed: Vec<i64> = (0..60).filter(|i| results[*i as usize].is_err()).collect();
    assert_eq!(failed, vec![37], "only the refused request fails");
    assert_eq!(results[37].as_ref().unwrap_err().code, lvzhi::error::Code::AlreadyExists);
    let (_, tx1, fb1) = app.state.db.writer.counts.snapshot();
    assert_eq!(tx1 - tx0, 2, "the gate, then all 60 in one transaction");
    assert_eq!(fb1, fb0);
    // A database error inside a bulk rolls it back; every request then runs alone and succeeds.
    let results = run_held(&app, &bulk, vec![100, 99, 101]).await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let (_, tx2, fb2) = app.state.db.writer.counts.snapshot();
    assert_eq!(fb2 - fb1, 1);
    assert_eq!(tx2 - tx1, 1 + 1 + 3, "the gate, the failed bulk, three alone");
    // DELETE answers how many rows there were: every successful request's, nothing else.
    assert_eq!(app.raw_sql("DELETE FROM batch_probe WHERE id IN (37, -1)").unwrap(), 0);
    assert_eq!(app.raw_sql("DELETE FROM batch_probe").unwrap(), 62);
    let m = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(m.contains("lvzhi_db_writer_count{kind=\"fallbacks\"}"), "{m}");
}
