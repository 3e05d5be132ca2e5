use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn health_readiness_metrics_and_request_ids() {
    let app = spawn_app().await;
    let h = app.send(app.client.get(app.url("/healthz"))).await;
    assert_eq!(h.status, 200);
    let r = app.send(app.client.get(app.url("/readyz"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["database"], if app.is_postgres() { "postgres" } else { "sqlite" });
    let echoed = app.send(app.client.get(app.url("/healthz")).header("x-request-id", "abc-123")).await;
    assert_eq!(echoed.headers.get("x-request-id").unwrap(), "abc-123");
    let generated = app.send(app.client.get(app.url("/healthz")).header("x-request-id", "bad id with spaces")).await;
    assert_eq!(generated.headers.get("x-request-id").unwrap().len(), 36);
    let m = app.send(app.client.get(app.url("/metrics"))).await;
    assert!(
        m.text.contains("lvzhi_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
        "{}",
        m.text
    );
    assert!(m.text.contains("lvzhi_http_request_duration_seconds_bucket"));
    assert!(m.text.contains("lvzhi_db_pool_connections{state=\"in_use\"}"));
    // The load-test route is off unless enabled.
    app.send(app.client.get(app.url("/bench/hello"))).await.expect(404, "not_found");
}

#[tokio::test]
async fn readyz_names_the_failed_dependency() {
    let app = spawn_app().await;
    let mut state = app.state.clone();
    // A pool pointing at nothing: readiness must say which dependency failed.
    let dead = diesel::r2d2::Pool::builder()
        .max_size(1)
        .connection_timeout(std::time::Duration::from_millis(300))
        .build_unchecked(lvzhi::db::checkout::Manager::new("postgres://nobody@127.0.0.1:1/none".into()));
    let url = lvzhi::config::DatabaseUrl::parse("postgres://nobody@127.0.0.1:1/none").unwrap();
    state.views = lvzhi::platform::views::Views::new(0);
    state.db = lvzhi::db::Db::new(dead, &url, 1, std::sync::Arc::new(state.views.clone()));
    let started = lvzhi::startup::Application::start(state).unwrap();
    let base = format!("http://127.0.0.1:{}", started.port());
    tokio::spawn(started.run_until_stopped());
    let r = Answer::from(app.client.get(format!("{base}/readyz")).send().await.unwrap()).await;
    r.expect(503, "dependency_unavailable");
    assert!(r.body["detail"].as_str().unwrap().contains("database"));
}

#[tokio::test]
async fn bench_route_answers_when_enabled() {
    let app = spawn_with(&[("LVZHI_BENCH_HELLO", "true")]).await;
    let a = app.send(app.client.get(app.url("/bench/hello"))).await;
    assert_eq!(a.status, 200);
}

/// (mxFrame, nBackfill) of a SQLite database's write-ahead log, read from its `-shm` index: the
/// last frame in the log and how many of them are copied back into the database file.
fn wal_frames(db: &std::path::Path) -> (u32, u32) {
    let shm = std::fs::read(format!("{}-shm", db.display())).expect("the -shm file of a WAL database");
    let u32_at = |o: usize| u32::from_ne_bytes([shm[o], shm[o + 1], shm[o + 2], shm[o + 3]]);
    (u32_at(16), u32_at(96))
}

#[tokio::test]
async fn the_write_ahead_log_is_folded_back_after_writes() {
    let app = spawn_demo().await;
    let lvzhi::config::DatabaseUrl::Sqlite(db) = app.state.settings.database_url.clone() else {
        return; // PostgreSQL checkpoints by itself
    };
    // Writes through the writer thread, whose commits never checkpoint themselves.
    let admin = app.login("admin").await;
    let city = app.region_id(&admin, "340100").await;
    for n in 0..5 {
        app.post("/api/v1/groups", &admin, json!({"region_id": city, "name": format!("小组 {n}"), "term": 17}))
            .await
            .expect(201, "");
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (last, copied) = wal_frames(&db);
        if last == copied {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the checkpointer left {} of {last} log frames uncopied",
            last - copied
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Starts another instance's state over the app's database with these settings, and runs the
/// check `lvzhi serve` runs before it serves.
async fn serve_check(app: &TestApp, s: lvzhi::config::Settings) -> Result<(), String> {
    let state = lvzhi::startup::build_state(s, app.clock.clone()).await?;
    lvzhi::ops::check_agreement(&state).await
}

#[tokio::test]
async fn instances_on_one_database_agree_on_the_ranking_mode_and_the_cache() {
    let app = spawn_app().await;
    let ours = (*app.state.settings).clone();
    // The first instance's settings are recorded.
    serve_check(&app, ours.clone()).await.unwrap();
    // Another ranking mode on the same database: refused, naming the setting.
    let mut other = ours.clone();
    other.rankings = lvzhi::config::Rankings::Sql;
    let refused = serve_check(&app, other.clone()).await.expect_err("a second ranking mode was accepted");
    assert!(refused.starts_with("LVZHI_RANKINGS gives rankings = `sql` here"), "{refused}");
    // With or without Redis: refused too (an instance without Redis may not build its state
    // against an unreachable Redis either way).
    let mut flipped = ours.clone();
    flipped.redis_url = match ours.redis_url {
        Some(_) => None,
        None => Some("redis://127.0.0.1:1".into()),
    };
    let refused = serve_check(&app, flipped).await.expect_err("another cache was accepted");
    assert!(refused.contains("REDIS_URL") || refused.contains("Redis") || refused.contains("redis"), "{refused}");
    // Adopted on purpose (every instance changed): from then on the old value is the odd one.
    other.adopt_settings = true;
    serve_check(&app, other).await.expect("adopting the new mode");
    let now_refused = serve_check(&app, ours).await.expect_err("the old mode was accepted after the change");
    assert!(now_refused.starts_with("LVZHI_RANKINGS gives rankings = `sorted_sets` here"), "{now_refused}");
}
