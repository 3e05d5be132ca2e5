//! Delivery at a nation's scale: pushes batched per provider (each push's answer applied on its
//! own, only the failed ones tried again), urgent pushes claimed before a large normal notice's
//! (they are queued a day ahead of normal ones), and an instance that leaves delivery to others.

use super::notices::device;
use super::providers::{device as provider_device, providers_app};
use crate::fake_gateway;
use serde_json::json;

#[tokio::test]
async fn an_urgent_notice_is_claimed_before_a_large_normal_one_queued_earlier() {
    // This instance only queues (as an API instance would): the test delivers, one claim at a time.
    let (app, gw) = fake_gateway::demo_app(&[("LVZHI_PUSH_DELIVERY", "false")]).await;
    let admin = app.login("admin").await;
    for i in 0..600 {
        device(&app, 2, &format!("ok-normal-{i}")).await;
    }
    device(&app, 3, "ok-urgent").await;
    let normal =
        json!({"kind": "general", "title": "全市通知", "body": "…", "audience": {"deputies": [2]}, "publish": true});
    app.post("/api/v1/notices", &admin, normal).await.expect(201, "");
    app.clock.advance(chrono::Duration::seconds(5));
    let urgent = json!({"kind": "general", "title": "防汛紧急通知", "body": "…", "priority": "urgent", "audience": {"deputies": [3]}, "publish": true});
    app.post("/api/v1/notices", &admin, urgent).await.expect(201, "");
    // Nothing went by itself; one claim (500 pushes) takes the urgent one with the oldest normal ones.
    assert!(gw.received().is_empty());
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 500);
    assert_eq!(gw.for_token("ok-urgent").len(), 1, "the urgent push went in the first claim");
    assert_eq!(gw.received().len(), 500);
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 101);
    assert_eq!(gw.received().len(), 601);
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 0);
}

/// A request's pushes: (token, dedup id).
type Pushes = Vec<(String, String)>;

/// The requests the gateway took from `provider`, in order.
fn requests(g: &fake_gateway::Gateway, provider: &str) -> Vec<Pushes> {
    let mut out: Vec<(Vec<u8>, Pushes)> = vec![];
    for r in g.received().into_iter().filter(|r| r.provider == provider) {
        let push = (r.token.clone(), r.dedup_id.clone());
        match out.last_mut() {
            // (A resend of the same pushes has the same body: a token seen twice starts a new one.)
            Some((raw, pushes)) if *raw == r.raw && !pushes.iter().any(|p| p.0 == push.0) => pushes.push(push),
            _ => out.push((r.raw.clone(), vec![push])),
        }
    }
    out.into_iter().map(|(_, p)| p).collect()
}

fn tokens(req: &[(String, String)]) -> Vec<&str> {
    let mut t: Vec<&str> = req.iter().map(|p| p.0.as_str()).collect();
    t.sort();
    t
}

#[tokio::test]
async fn every_batch_dialect_applies_each_pushs_answer_and_retries_only_what_failed() {
    let (app, g) = providers_app(&[("LVZHI_PUSH_DELIVERY", "false"), ("LVZHI_PUSH_WEBHOOK_BATCH", "100")]).await;
    let admin = app.login("admin").await;
    for t in ["ok-w1", "ok-w2", "gone-w1", "down-w1", "fail-w1", "garbled-w1"] {
        provider_device(&app, 1, "webhook", t).await;
    }
    for (d, t) in [(2, "ok-j1"), (2, "busy-j1"), (2, "ok-j2"), (4, "gone-j3"), (4, "gone-j4")] {
        provider_device(&app, d, "jpush", t).await;
    }
    for t in ["ok-h1", "gone-h1", "ok-h2"] {
        provider_device(&app, 3, "huawei", t).await;
    }
    let notice = json!({"kind": "meeting", "title": "代表小组活动通知", "body": "…", "audience": {"deputies": [1, 2, 3, 4]}, "publish": true});
    app.post("/api/v1/notices", &admin, notice).await.expect(201, "");
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 14);
    // One request a provider, carrying all of its pushes of the notice.
    let (hooks, jp, hw) = (requests(&g, "webhook"), requests(&g, "jpush"), requests(&g, "huawei"));
    assert_eq!((hooks.len(), jp.len(), hw.len()), (1, 1, 1));
    assert_eq!(tokens(&hooks[0]), ["down-w1", "fail-w1", "garbled-w1", "gone-w1", "ok-w1", "ok-w2"]);
    assert_eq!(tokens(&jp[0]), ["busy-j1", "gone-j3", "gone-j4", "ok-j1", "ok-j2"]);
    assert_eq!(tokens(&hw[0]), ["gone-h1", "ok-h1", "ok-h2"]);
    assert!(g.received()[0].signature.starts_with("sha256="));
    // Each push's own answer: sent, dead device (Huawei names it among the sent), refused;
    // JPush took the request as a whole and asked for 120 s.
    // (A sent push leaves the outbox.)
    let status = |t: &str| {
        app.raw_strings(&format!(
            "SELECT o.status AS v FROM push_outbox o JOIN devices d ON d.id = o.device_id WHERE d.token = '{t}'"
        ))
        .first()
        .map(|s| s.clone().unwrap())
        .unwrap_or_else(|| "sent".into())
    };
    for (t, s) in [("ok-w1", "sent"), ("gone-w1", "dropped"), ("fail-w1", "dead"), ("down-w1", "pending")] {
        assert_eq!(status(t), s, "{t}");
    }
    for (t, s) in [("garbled-w1", "pending"), ("ok-h1", "sent"), ("gone-h1", "dropped"), ("ok-j1", "pending")] {
        assert_eq!(status(t), s, "{t}");
    }
    let disabled = || -> Vec<String> {
        app.raw_strings("SELECT token AS v FROM devices WHERE disabled_at IS NOT NULL ORDER BY token")
            .into_iter()
            .flatten()
            .collect()
    };
    assert_eq!(disabled(), ["gone-h1", "gone-w1"]);
    // A minute on: only the webhook's two failed pushes go again, with their own dedup ids.
    app.clock.advance(chrono::Duration::seconds(60));
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 2);
    let again = &requests(&g, "webhook")[1];
    assert_eq!(tokens(again), ["down-w1", "garbled-w1"]);
    assert!(again.iter().all(|p| hooks[0].contains(p)), "the same dedup ids");
    // After JPush's Retry-After: the same five again, under the same cid.
    app.clock.advance(chrono::Duration::seconds(90));
    lvzhi::push::deliver_pushes_once(&app.state).await.unwrap();
    let jp = requests(&g, "jpush");
    assert_eq!((jp.len(), tokens(&jp[1])), (2, tokens(&jp[0])));
    assert_eq!(jp[1][0].1, jp[0][0].1);
    assert_eq!(status("ok-j1"), "sent");
    // A notice to the deputy whose JPush ids are all stale: 1011 disables both devices.
    let stale =
        json!({"kind": "general", "title": "通知", "body": "…", "audience": {"deputies": [4]}, "publish": true});
    app.post("/api/v1/notices", &admin, stale).await.expect(201, "");
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 2);
    assert_eq!(disabled(), ["gone-h1", "gone-j3", "gone-j4", "gone-w1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apns_and_fcm_share_one_http2_connection_with_many_requests_in_flight() {
    let (app, g) = providers_app(&[("LVZHI_PUSH_DELIVERY", "false"), ("LVZHI_PUSH_HTTP2_IN_FLIGHT", "50")]).await;
    let admin = app.login("admin").await;
    for i in 0..150 {
        provider_device(&app, 1, "apns", &format!("lag-a{i}")).await;
        provider_device(&app, 2, "fcm", &format!("lag-f{i}")).await;
    }
    let notice = json!({"kind": "meeting", "title": "代表小组活动通知", "body": "…", "audience": {"deputies": [1, 2]}, "publish": true});
    let id = app.post("/api/v1/notices", &admin, notice).await.expect(201, "").body["id"].as_i64().unwrap();
    assert!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap() >= 300);
    let got: Vec<_> = g.received().into_iter().filter(|r| r.provider == "apns" || r.provider == "fcm").collect();
    assert_eq!(got.len(), 300);
    assert!(got.iter().all(|r| r.http2), "every send spoke HTTP/2");
    // APNs and FCM here live at one address: one connection carried all 300.
    let conns: std::collections::HashSet<u64> = got.iter().map(|r| r.conn).collect();
    assert_eq!(conns.len(), 1, "{conns:?}");
    // Each answer takes 20 ms: many were in flight at once, never more than configured.
    let most = g.most_lagging.load(std::sync::atomic::Ordering::SeqCst);
    assert!((25..=50).contains(&most), "{most} in flight at most");
    // Sent: they left the outbox.
    let left = app.raw_strings(&format!("SELECT CAST(COUNT(*) AS TEXT) AS v FROM push_outbox WHERE notice_id = {id}"));
    assert_eq!(left[0].as_deref(), Some("0"));
}
