//! Webhook delivery through failures: a receiver down for an hour gets everything afterwards,
//! in order, none lost; a day of failures pauses the subscription until an admin resumes it;
//! a rotated secret signs beside the old one; a 410 disables the subscription and tells the
//! admins; exchange files are signed and checked.

use crate::feed::county_deputy;
use crate::feed_receiver::{self as rx, client, deliver, deliver_until};
use crate::helpers::*;
use serde_json::{json, Value};

async fn award(app: &TestApp, admin: &str, deputy: i64, source: &str) -> i64 {
    let b =
        json!({"deputy_id": deputy, "rule_code": "suggestion_filed", "source_kind": "suggestion", "source_id": source});
    app.post("/api/v1/ledger/awards", admin, b).await.expect(201, "").body["id"].as_i64().unwrap()
}

fn entry_ids(events: &[Value]) -> Vec<i64> {
    events
        .iter()
        .filter(|e| e["type"] == "cn.lvzhi.ledger.entry_posted")
        .map(|e| e["data"]["entry_id"].as_i64().unwrap())
        .collect()
}

/// Advances the clock by `minutes` in steps of ten, delivering after each (logging in again).
async fn wait_delivering(app: &TestApp, minutes: i64) {
    for _ in 0..minutes / 10 {
        app.clock.advance(chrono::Duration::minutes(10));
        deliver(app).await;
    }
}

#[tokio::test]
async fn deliveries_survive_an_hour_of_errors_a_day_pauses_them_and_410_disables() {
    let app = spawn_demo_with(&[("LVZHI_OUTBOUND_ALLOW", "127.0.0.1")]).await;
    let receiver = rx::start().await;
    let mut admin = app.login("admin").await;
    let (id, _) = client(&app, &admin, "county-platform", "340102", &["feed:read"]).await;
    let s = app
        .post(
            "/api/v1/feed/subscriptions",
            &admin,
            json!({"client_id": id, "url": receiver.url("p"), "types": ["cn.lvzhi.ledger.entry_posted"]}),
        )
        .await;
    let sub = s.expect(201, "").body["subscription"]["id"].as_i64().unwrap();
    let secret = s.body["secret"].as_str().unwrap().to_string();
    let x = county_deputy(&app, &admin, "340102").await;
    // Down for an hour: three entries before, one during.
    receiver.answer("p", 500);
    let mut want = vec![];
    for i in 0..3 {
        want.push(award(&app, &admin, x, &format!("D-{i}")).await);
    }
    assert_eq!(deliver(&app).await, 0);
    let v = app.get(&format!("/api/v1/feed/subscriptions/{sub}"), &admin).await;
    // (The app's own worker may have tried too.)
    assert_eq!(v.body["status"], "active");
    assert!(v.body["attempts"].as_i64().unwrap() >= 1);
    assert!(v.body["last_error"].as_str().unwrap().starts_with("500"));
    wait_delivering(&app, 30).await;
    admin = app.login("admin").await;
    want.push(award(&app, &admin, x, "D-3").await);
    wait_delivering(&app, 30).await;
    assert!(receiver.taken("p").is_empty());
    assert!(receiver.deliveries("p").len() >= 3, "retried with backoff");
    // Back up: everything, in order, once — by the next attempt, at most 72 minutes away (the
    // app's own worker may have tried too, so the backoff may have reached its ceiling).
    receiver.answer("p", 200);
    wait_delivering(&app, 80).await;
    let taken = receiver.taken("p");
    assert_eq!(entry_ids(&taken), want);
    // (Each checked as at its arrival: the test's clock has moved on since.)
    assert!(receiver.deliveries("p").iter().all(|d| rx::verify(&secret, d, d.timestamp)));
    // Retries of the same events carry the same webhook-id (receivers deduplicate on it).
    let ids: Vec<String> = receiver.deliveries("p").iter().map(|d| d.id.clone()).collect();
    assert!(ids.windows(2).any(|w| w[0] == w[1]), "{ids:?}");
    // A day of failures pauses it (at the first attempt after the day: backoff is at most 72
    // minutes); resumed, it goes on from where it stopped.
    admin = app.login("admin").await;
    receiver.answer("p", 503);
    want.push(award(&app, &admin, x, "D-4").await);
    wait_delivering(&app, 27 * 60).await;
    admin = app.login("admin").await;
    let v = app.get(&format!("/api/v1/feed/subscriptions/{sub}"), &admin).await;
    assert_eq!(v.body["status"], "paused");
    let tried = receiver.deliveries("p").len();
    wait_delivering(&app, 60).await;
    assert_eq!(receiver.deliveries("p").len(), tried, "a paused subscription is not tried");
    receiver.answer("p", 200);
    admin = app.login("admin").await;
    let r = app.post(&format!("/api/v1/feed/subscriptions/{sub}/resume"), &admin, json!({})).await;
    assert_eq!(r.expect(200, "").body["status"], "active");
    let last = want[want.len() - 1];
    deliver_until(&app, &receiver, "p", |e| e["data"]["entry_id"] == last).await;
    assert_eq!(entry_ids(&receiver.taken("p")), want);
    // A rotated secret: both sign for a day.
    let rot = app.post(&format!("/api/v1/feed/subscriptions/{sub}/rotate-secret"), &admin, json!({})).await;
    let fresh = rot.expect(200, "").body["secret"].as_str().unwrap().to_string();
    assert_ne!(fresh, secret);
    let d5 = award(&app, &admin, x, "D-5").await;
    deliver_until(&app, &receiver, "p", |e| e["data"]["entry_id"] == d5).await;
    let last = receiver.deliveries("p").pop().unwrap();
    let now = app.clock.now().timestamp();
    assert!(rx::verify(&secret, &last, now) && rx::verify(&fresh, &last, now));
    assert_eq!(last.signature.split(' ').count(), 2);
    // 410: disabled, and the admins are told.
    receiver.answer("p", 410);
    award(&app, &admin, x, "D-6").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.get(&format!("/api/v1/feed/subscriptions/{sub}"), &admin).await.body["status"] != "disabled" {
        assert!(std::time::Instant::now() < deadline, "never disabled");
        deliver(&app).await;
    }
    let told = app.raw_strings("SELECT action AS v FROM audit_log WHERE action = 'feed.receiver_gone'");
    assert_eq!(told.len(), 1);
    app.post(&format!("/api/v1/feed/subscriptions/{sub}/resume"), &admin, json!({}))
        .await
        .expect(409, "illegal_transition");
    let listed = app.get("/api/v1/feed/subscriptions", &admin).await;
    assert_eq!(listed.expect(200, "").body["items"][0]["status"], "disabled");
    // The county's own admin manages it too; a deputy may not.
    let yaohai_admin = app.login("yaohai").await;
    app.get(&format!("/api/v1/feed/subscriptions/{sub}"), &yaohai_admin).await.expect(200, "");
    let deputy = app.login("13955110000").await;
    app.get(&format!("/api/v1/feed/subscriptions/{sub}"), &deputy).await.expect(403, "forbidden");
}

#[tokio::test]
async fn exchange_files_are_signed_and_any_change_is_caught() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let x = county_deputy(&app, &admin, "340102").await;
    for i in 0..3 {
        award(&app, &admin, x, &format!("E-{i}")).await;
    }
    let now = app.clock.now().naive_utc();
    let span = (now - chrono::Duration::days(1), now + chrono::Duration::days(1));
    let mut out = vec![];
    let n = lvzhi::feed::export(&app.state, Some("340102".into()), span, &mut out).await.unwrap();
    assert!(n >= 3, "{n}");
    let text = String::from_utf8(out).unwrap();
    let said = lvzhi::feed::verify_file(&app.state.keys, &text).unwrap();
    assert!(said.contains(&format!("{n} events")), "{said}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n + 2);
    let event: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(event["specversion"], "1.0");
    // A changed point, a dropped line, two lines swapped: each rejected.
    let changed = text.replacen("\"points\":", "\"points\":1", 1);
    assert!(lvzhi::feed::verify_file(&app.state.keys, &changed).is_err());
    let mut dropped = lines.clone();
    dropped.remove(2);
    assert!(lvzhi::feed::verify_file(&app.state.keys, &(dropped.join("\n") + "\n")).is_err());
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    assert!(lvzhi::feed::verify_file(&app.state.keys, &(swapped.join("\n") + "\n")).is_err());
    // Another region's file holds none of these.
    let mut other = vec![];
    lvzhi::feed::export(&app.state, Some("340103".into()), span, &mut other).await.unwrap();
    assert!(!String::from_utf8(other).unwrap().contains(&format!("\"deputy_id\":{x},")));
}
