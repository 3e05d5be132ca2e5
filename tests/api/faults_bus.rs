//! An instance that lost the cache bus serves no kept view.

use super::faults::*;
use crate::helpers::*;
use crate::proxy::Proxy;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_that_lost_the_bus_serves_no_kept_view() {
    let Some(redis) = std::env::var("TEST_REDIS_URL").ok().filter(|v| !v.is_empty()) else { return };
    let (u, hostport) = upstream(&redis);
    let proxy = Proxy::start(&hostport).await;
    let app = spawn_with(&[("REDIS_URL", &via(u, &proxy))]).await;
    lvzhi::demo::seed_directory(&app.state).await.unwrap();
    // Another instance: its own views and writer, the same Redis (through the proxy).
    let other =
        app.sibling(lvzhi::startup::build_state((*app.state.settings).clone(), app.clock.clone()).await.unwrap());
    let serving = |a: &TestApp, want: bool| {
        let views = a.state.views.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(20);
            while views.serving() != want {
                assert!(Instant::now() < deadline, "serving kept views never became {want}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    serving(&app, true).await;
    serving(&other, true).await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let n = app
        .post(
            "/api/v1/notices",
            &admin,
            serde_json::json!({"kind": "general", "title": "断线测试", "body": "…", "audience": {"deputies": [1]}, "publish": true}),
        )
        .await;
    n.expect(201, "");
    let before = unread(&other, &deputy).await;
    assert_eq!(unread(&other, &deputy).await, before);
    // Redis goes away: the other instance stops serving what it kept, so a read made there after
    // a write here (whose announcement cannot travel) comes from the database.
    proxy.down();
    serving(&other, false).await;
    let id = n.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/me/inbox/{id}/read"), &deputy, serde_json::json!({})).await.expect(204, "");
    assert_eq!(unread(&other, &deputy).await, before - 1);
    // Back: it follows again, having forgotten what it kept before.
    proxy.up().await;
    serving(&other, true).await;
    assert_eq!(unread(&other, &deputy).await, before - 1);
    // Redis hangs (its subscriptions stay open and deliver nothing): within a few seconds the
    // other instance stops trusting the bus and reads from the database.
    let n2 = app
        .post(
            "/api/v1/notices",
            &admin,
            serde_json::json!({"kind": "general", "title": "挂起测试", "body": "…", "audience": {"deputies": [1]}, "publish": true}),
        )
        .await;
    let id2 = n2.expect(201, "").body["id"].as_i64().unwrap();
    serving(&other, true).await;
    // The other instance has heard of it over the bus (polled with a deadline).
    let kept = unread(&app, &deputy).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while unread(&other, &deputy).await != kept {
        assert!(Instant::now() < deadline, "the other instance never heard of the new notice");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    proxy.freeze();
    let hung = Instant::now();
    serving(&other, false).await;
    assert!(hung.elapsed() < Duration::from_secs(4), "a hung Redis was trusted for {:?}", hung.elapsed());
    app.post(&format!("/api/v1/me/inbox/{id2}/read"), &deputy, serde_json::json!({})).await.expect(204, "");
    assert_eq!(unread(&other, &deputy).await, kept - 1);
    proxy.thaw();
    serving(&other, true).await;
    assert_eq!(unread(&other, &deputy).await, kept - 1);
}

async fn unread(app: &TestApp, token: &str) -> i64 {
    let r = app.get("/api/v1/me/inbox/unread-count", token).await;
    r.expect(200, "");
    r.body["unread"].as_i64().unwrap()
}
