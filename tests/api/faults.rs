//! Faults of the services lvzhi depends on, injected with a proxy in front of them: PostgreSQL
//! going away (requests answer 503 `database_unavailable`, then work again without restarting
//! lvzhi) and Redis going away (the API stays up, readiness says so, and an ended session stays
//! ended). Each runs on the PostgreSQL + Redis backend (SQLite and the in-process cache cannot go
//! away); on SQLite it returns at once. An instance that lost the cache bus serves no kept view.

use crate::helpers::*;
use crate::proxy::Proxy;
use std::time::{Duration, Instant};

pub fn upstream(url: &str) -> (url::Url, String) {
    let u = url::Url::parse(url).unwrap();
    let hostport = format!("{}:{}", u.host_str().unwrap(), u.port().unwrap());
    (u, hostport)
}

pub fn via(mut u: url::Url, proxy: &Proxy) -> String {
    u.set_host(Some("127.0.0.1")).unwrap();
    u.set_port(Some(proxy.addr.port())).unwrap();
    u.to_string()
}

/// The demo on a fresh PostgreSQL database reached through a relay the test controls (a
/// request waits at most 1 s for one of 3 connections); `None` without PostgreSQL.
pub async fn demo_behind_relay(extra: &[(&str, &str)]) -> Option<(TestApp, Proxy, String)> {
    let (url, name) = fresh_pg(&pg_admin_url()?);
    let (u, hostport) = upstream(&url);
    let proxy = Proxy::start(&hostport).await;
    let db = via(u, &proxy);
    let mut env = vec![("DATABASE_URL", db.as_str()), ("LVZHI_DB_WAIT_MS", "1000"), ("LVZHI_DB_POOL_SIZE", "3")];
    env.extend_from_slice(extra);
    let app = spawn_with(&env).await;
    lvzhi::demo::seed_directory(&app.state).await.unwrap();
    Some((app, proxy, name))
}

/// Polls `GET path` until it answers 200, within 20 s.
pub async fn until_ok(app: &TestApp, path: &str, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let a = app.get(path, token).await;
        if a.status == 200 {
            return;
        }
        assert!(Instant::now() < deadline, "{path} did not recover: {} {}", a.status, a.text);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub async fn postgresql_going_away_answers_503_then_recovers_without_a_restart() {
    let Some((app, proxy, name)) = demo_behind_relay(&[]).await else { return };
    let admin = app.login("admin").await;
    app.get("/api/v1/deputies?limit=1", &admin).await.expect(200, "");
    proxy.down();
    for _ in 0..3 {
        let a = app.get("/api/v1/deputies?limit=1", &admin).await;
        a.expect(503, "database_unavailable");
        assert_eq!(a.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    }
    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    ready.expect(503, "dependency_unavailable");
    assert!(ready.body["detail"].as_str().unwrap().contains("database"), "{}", ready.text);
    proxy.up().await;
    until_ok(&app, "/api/v1/deputies?limit=1", &admin).await;
    app.send(app.client.get(app.url("/readyz"))).await.expect(200, "");
    // Writes work again too.
    app.post("/api/v1/groups", &admin, serde_json::json!({"region_id": 2, "name": "恢复后新建的小组", "term": 17}))
        .await
        .expect(201, "");
    drop(app);
    drop_pg(&name);
}

/// Sends `f` and checks it answers 503 `database_unavailable` with `Retry-After` within `within`.
pub async fn unavailable_within(what: &str, within: Duration, f: impl std::future::Future<Output = Answer>) {
    let started = Instant::now();
    let a = f.await;
    let took = started.elapsed();
    assert_eq!((a.status.as_u16(), a.code()), (503, "database_unavailable"), "{what}: {}", a.text);
    assert_eq!(a.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("5"), "{what}");
    assert!(took < within, "{what} took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub async fn a_down_or_frozen_postgresql_answers_503_on_every_route_within_its_bound() {
    // A request waits at most 1 s for a connection and 2 s for a statement.
    let Some((app, proxy, name)) = demo_behind_relay(&[("LVZHI_DB_STATEMENT_MS", "2000")]).await else { return };
    let admin = app.login("admin").await;
    let award = |n: u32| {
        let (app, admin) = (&app, &admin);
        let body = serde_json::json!({"deputy_id": 1, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": format!("F-{n}")});
        async move { app.post("/api/v1/ledger/awards", admin, body).await }
    };
    award(1).await.expect(201, "");
    let bound = Duration::from_secs(5);
    // Down: awards (the bulk writer's path) answer like every other route.
    proxy.down();
    unavailable_within("an award while the database is down", bound, award(2)).await;
    unavailable_within("a read while the database is down", bound, app.get("/api/v1/deputies?limit=1", &admin)).await;
    proxy.up().await;
    until_ok(&app, "/api/v1/deputies?limit=1", &admin).await;
    // Frozen: connections stay open and nothing answers; requests still end within the bound.
    proxy.freeze();
    unavailable_within("a read while the database is frozen", bound, app.get("/api/v1/deputies?limit=1", &admin)).await;
    unavailable_within("an award while the database is frozen", bound, award(3)).await;
    unavailable_within(
        "a write while the database is frozen",
        bound,
        app.post("/api/v1/groups", &admin, serde_json::json!({"region_id": 2, "name": "冻结时", "term": 17})),
    )
    .await;
    proxy.thaw();
    until_ok(&app, "/api/v1/deputies?limit=1", &admin).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let a = award(4).await;
        if a.status == 201 || a.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "awards did not recover: {} {}", a.status, a.text);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(app);
    drop_pg(&name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub async fn rankings_answer_from_the_database_while_redis_is_down_or_hung() {
    let Some(redis) = std::env::var("TEST_REDIS_URL").ok().filter(|v| !v.is_empty()) else { return };
    let (u, hostport) = upstream(&redis);
    let proxy = Proxy::start(&hostport).await;
    let app = spawn_with(&[("REDIS_URL", &via(u, &proxy)), ("LVZHI_RANKINGS", "sorted_sets")]).await;
    lvzhi::demo::seed_directory(&app.state).await.unwrap();
    let admin = app.login("admin").await;
    let before = app.get("/api/v1/rankings?limit=5", &admin).await;
    before.expect(200, "");
    let from_sql = |fault: &'static str| {
        let (app, admin, top) = (&app, &admin, before.body["top"].clone());
        async move {
            let started = Instant::now();
            let r = app.get("/api/v1/rankings?limit=5", admin).await;
            assert_eq!(
                (r.status.as_u16(), r.body["source"].as_str()),
                (200, Some("sql_scan")),
                "Redis {fault}: {}",
                r.text
            );
            assert_eq!(r.body["top"], top, "Redis {fault}");
            assert!(started.elapsed() < Duration::from_secs(5), "Redis {fault}: {:?}", started.elapsed());
        }
    };
    proxy.down();
    from_sql("down").await;
    proxy.up().await;
    // Back: the leaderboard answers again (polled with a deadline) …
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.get("/api/v1/rankings?limit=5", &admin).await.body["source"] != "sorted_sets" {
        assert!(Instant::now() < deadline, "the leaderboard was not read again after Redis came back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // … and a hung Redis (no answer at all) is given up on within its response timeout.
    proxy.freeze();
    from_sql("hung").await;
    proxy.thaw();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub async fn redis_going_away_keeps_the_api_up_and_ended_sessions_ended() {
    let Some(redis) = std::env::var("TEST_REDIS_URL").ok().filter(|v| !v.is_empty()) else { return };
    let (u, hostport) = upstream(&redis);
    let proxy = Proxy::start(&hostport).await;
    let cache = via(u, &proxy);
    let app = spawn_with(&[("REDIS_URL", &cache)]).await;
    lvzhi::demo::seed_directory(&app.state).await.unwrap();
    let (kept, ended, later) = (app.login("admin").await, app.login("admin").await, app.login("admin").await);
    app.send(app.req(reqwest::Method::POST, "/api/v1/auth/logout", Some(&ended))).await.expect(204, "");
    // A second instance (its own connection to Redis) that serves nothing during the outage.
    let idle =
        app.sibling(lvzhi::startup::build_state((*app.state.settings).clone(), app.clock.clone()).await.unwrap());
    idle.get("/api/v1/auth/me", &later).await.expect(200, "");
    assert!(!idle.state.cache.failed_within(Duration::from_secs(60)));
    proxy.down();
    // Its watcher notices the outage all the same (polled with a deadline).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !idle.state.cache.failed_within(Duration::from_secs(60)) {
        assert!(Instant::now() < deadline, "the idle instance did not notice Redis going away");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The API keeps answering from the database; readiness names Redis.
    app.get("/api/v1/auth/me", &kept).await.expect(200, "");
    app.get("/api/v1/deputies?limit=1", &kept).await.expect(200, "");
    let ready = app.send(app.client.get(app.url("/readyz"))).await;
    ready.expect(503, "dependency_unavailable");
    assert!(ready.body["detail"].as_str().unwrap().contains("redis"), "{}", ready.text);
    // Revocation fails closed: the session ended before stays ended, and one ended while Redis
    // is away (the revocation reaches only the database) is refused too.
    app.get("/api/v1/auth/me", &ended).await.expect(401, "unauthorized");
    app.send(app.req(reqwest::Method::POST, "/api/v1/auth/logout", Some(&later))).await.expect(204, "");
    app.get("/api/v1/auth/me", &later).await.expect(401, "unauthorized");
    // Redis comes back without the second revocation: the session stays ended all the same.
    proxy.up().await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.send(app.client.get(app.url("/readyz"))).await.status != 200 {
        assert!(Instant::now() < deadline, "readiness did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.get("/api/v1/auth/me", &later).await.expect(401, "unauthorized");
    app.get("/api/v1/auth/me", &kept).await.expect(200, "");
    // The idle instance, which verified `later` before the outage, refuses it now too.
    idle.get("/api/v1/auth/me", &later).await.expect(401, "unauthorized");
    idle.get("/api/v1/auth/me", &kept).await.expect(200, "");
}

#[tokio::test]
pub async fn redis_losing_its_data_counts_as_an_outage() {
    let Some(redis) = std::env::var("TEST_REDIS_URL").ok().filter(|v| !v.is_empty()) else { return };
    let app = spawn_app().await;
    let prefix = app.state.settings.redis_prefix.clone();
    let mut direct = redis::Client::open(redis.as_str()).unwrap().get_multiplexed_async_connection().await.unwrap();
    // The watcher has set its epoch marker and seen no failure.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let epoch: Option<String> =
            redis::cmd("GET").arg(format!("{prefix}epoch")).query_async(&mut direct).await.unwrap();
        if epoch.is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "no epoch marker");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!app.state.cache.failed_within(Duration::from_secs(60)));
    // Redis "restarts empty": the marker is gone, and the instance treats it as an outage (the
    // revocations it held may be gone with it, so the database decides for a while).
    let _: () = redis::cmd("DEL").arg(format!("{prefix}epoch")).query_async(&mut direct).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.state.cache.failed_within(Duration::from_secs(60)) {
        assert!(Instant::now() < deadline, "the lost data went unnoticed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
