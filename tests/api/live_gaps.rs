//! What the cache bus loses, the live streams find again: an event recorded while another
//! instance did not hear of it (Redis down, a message lost) reaches an open stream once the bus
//! is followed again, or within the periodic look at the database (`LVZHI_LIVE_RECHECK_SECS`).

use crate::delivery::{events, open_stream};
use crate::helpers::*;
use crate::proxy::Proxy;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn an_event_no_one_announced_reaches_an_open_stream_within_the_recheck_interval() {
    let app = spawn_demo_with(&[("LVZHI_LIVE_RECHECK_SECS", "1")]).await;
    let deputy = app.login("13955110000").await;
    let pending = tokio::spawn(events(open_stream(&app.base, &deputy, None).await, 1, Duration::from_secs(15)));
    // Recorded in the database and announced to no one (as a bus that lost the message).
    let now = app.state.now();
    let wake = lvzhi::db::run(&app.state.db, move |c| {
        lvzhi::live::record(c, Some(1), None, "notice", &json!({"notice_id": 0}), now)
    })
    .await
    .unwrap();
    let got = pending.await.unwrap();
    assert_eq!(got.iter().map(|e| e.0).collect::<Vec<_>>(), vec![wake.id], "the stream never looked again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_published_while_redis_was_down_reaches_a_stream_on_another_instance_once_it_is_back() {
    let Some(redis) = std::env::var("TEST_REDIS_URL").ok().filter(|v| !v.is_empty()) else { return };
    let u = url::Url::parse(&redis).unwrap();
    let proxy = Proxy::start(&format!("{}:{}", u.host_str().unwrap(), u.port().unwrap())).await;
    let mut via = u.clone();
    via.set_port(Some(proxy.addr.port())).unwrap();
    // The periodic look is far away: only following the bus again can deliver it in time.
    let app = spawn_demo_with(&[("REDIS_URL", via.as_str()), ("LVZHI_LIVE_RECHECK_SECS", "600")]).await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let other = app.twin_instance();
    let pending = tokio::spawn(events(open_stream(&other, &deputy, None).await, 1, Duration::from_secs(20)));
    proxy.down();
    let n = app
        .post("/api/v1/notices", &admin, json!({"kind": "briefing", "title": "断线期间发布", "body": "…", "audience": {"deputies": [1]}, "publish": true}))
        .await;
    let notice = n.expect(201, "").body["id"].as_i64().unwrap();
    proxy.up().await;
    let got = pending.await.unwrap();
    assert_eq!(
        got.iter().map(|e| (e.1.as_str(), e.2["notice_id"].as_i64())).collect::<Vec<_>>(),
        vec![("notice", Some(notice))]
    );
}
