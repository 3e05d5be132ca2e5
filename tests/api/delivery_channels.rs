//! How a notice reaches a phone when things get in the way: quiet hours, escalation by text, Redis\nstopped, the demo's meeting notice, and what a push carries.

use super::delivery::*;
use crate::fake_gateway;
use crate::helpers::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

#[tokio::test]
async fn a_deputys_own_quiet_hours_hold_normal_pushes_and_urgent_ones_go_through() {
    let (app, g) = fake_gateway::demo_app(&[]).await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    app.post("/api/v1/me/devices", &deputy, json!({"platform": "ios", "provider": "webhook", "token": "ok-quiet"}))
        .await
        .expect(201, "");
    let s = app.get("/api/v1/me/push-settings", &deputy).await;
    assert_eq!((s.body["quiet_from"].clone(), s.body["is_default"].clone()), (Value::Null, json!(true)));
    // Quiet hours around now (congress time): the whole day but one minute.
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
    let (from, to) = (
        (now - chrono::Duration::minutes(1)).format("%H:%M").to_string(),
        (now - chrono::Duration::minutes(2)).format("%H:%M").to_string(),
    );
    let put = |b: Value| app.send(app.req(reqwest::Method::PUT, "/api/v1/me/push-settings", Some(&deputy)).json(&b));
    put(json!({"quiet_from": "25:00", "quiet_to": "07:00"})).await.expect(422, "validation_failed");
    put(json!({"quiet_from": "22:00"})).await.expect(422, "validation_failed");
    let set = put(json!({"quiet_from": from, "quiet_to": to})).await;
    set.expect(200, "");
    assert_eq!((set.body["quiet_from"].as_str(), set.body["is_default"].as_bool()), (Some(from.as_str()), Some(false)));
    publish(&app, &admin, "普通通知", &[1]).await;
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 0, "held until the quiet hours end");
    let n = app
        .post(
            "/api/v1/notices",
            &admin,
            json!({"kind": "general", "title": "紧急通知", "body": "…", "priority": "urgent", "audience": {"deputies": [1]}, "publish": true}),
        )
        .await;
    n.expect(201, "");
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 1);
    assert_eq!(g.for_token("ok-quiet").len(), 1);
    assert_eq!(g.for_token("ok-quiet")[0].body["title"], "紧急通知");
    // Back to the default (off here): the next normal notice goes at once.
    put(json!({"use_default": true})).await.expect(200, "");
    publish(&app, &admin, "又一通知", &[1]).await;
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 1);
}

#[tokio::test]
async fn urgent_and_unanswered_meeting_notices_are_escalated_by_sms_once() {
    let (g, base) = fake_gateway::start_all().await;
    let sms_url = format!("{base}/sms");
    let app = spawn_demo_with(&[
        ("LVZHI_SMS_URL", &sms_url),
        ("LVZHI_SMS_SECRET", "sms-secret"),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
    ])
    .await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let urgent = app
        .post(
            "/api/v1/notices",
            &admin,
            json!({"kind": "general", "title": "防汛紧急通知", "body": "…", "priority": "urgent", "audience": {"deputies": [1, 2]}, "publish": true}),
        )
        .await;
    let urgent = urgent.body["id"].as_i64().unwrap();
    // A meeting whose deadline is 30 h away: not yet; deputy 1 reads and answers it.
    let deadline = (chrono::Utc::now() + chrono::Duration::hours(30)).to_rfc3339();
    let m = app.post("/api/v1/notices", &admin, json!({"kind": "meeting", "title": "常委会会议", "body": "…", "audience": {"deputies": [1, 2, 3]}, "publish": true, "rsvp_required": true, "rsvp_deadline": deadline})).await;
    let meeting = m.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/me/inbox/{meeting}/rsvp"), &deputy, json!({"answer": "attend"})).await.expect(200, "");
    let queued = lvzhi::notices::escalate_due(&app.state).await.unwrap();
    let with_phone = |ids: &[i64]| ids.len();
    assert_eq!(queued, with_phone(&[1, 2]), "the urgent notice, to both unread deputies");
    assert_eq!(lvzhi::sms::deliver_once(&app.state).await.unwrap(), 2);
    let texts = g.received();
    assert!(texts.iter().all(|t| t.provider == "sms" && t.body["body"].as_str().unwrap().contains("防汛紧急通知")));
    assert!(texts.iter().any(|t| t.token == "13955110000" && t.dedup_id == format!("lvzhi-sms-n{urgent}-d1")));
    assert!(texts.iter().all(|t| t.signature.starts_with("sha256=")));
    // Seven hours later the meeting's deadline is within 24 h: deputies 2 and 3 (not 1) get a text.
    app.clock.advance(chrono::Duration::hours(7));
    assert_eq!(lvzhi::notices::escalate_due(&app.state).await.unwrap(), 2);
    assert_eq!(lvzhi::notices::escalate_due(&app.state).await.unwrap(), 0, "each notice escalates once");
    lvzhi::sms::deliver_once(&app.state).await.unwrap();
    let meeting_texts: Vec<_> =
        g.received().into_iter().filter(|t| t.dedup_id.starts_with(&format!("lvzhi-sms-n{meeting}-"))).collect();
    assert_eq!(meeting_texts.len(), 2);
    assert!(meeting_texts.iter().all(|t| t.body["body"].as_str().unwrap().contains("前在履职App中查看并回复")));
    assert!(!meeting_texts.iter().any(|t| t.token == "13955110000"));
}

/// A TCP relay to Redis that the test can cut, as if Redis stopped.
struct Relay {
    port: u16,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
        let t = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let h = tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                t.lock().unwrap().push(h);
            }
        });
        tasks.lock().unwrap().push(accept);
        Relay { port, tasks }
    }

    /// Stops accepting and drops every open connection.
    fn cut(&self) {
        for t in self.tasks.lock().unwrap().drain(..) {
            t.abort();
        }
    }
}

#[tokio::test]
async fn with_redis_stopped_the_stream_falls_back_to_this_instance_and_pushes_still_go() {
    let Some(redis) = std::env::var("TEST_REDIS_URL").ok().filter(|v| !v.is_empty()) else {
        eprintln!("TEST_REDIS_URL not set: the in-process bus has no Redis to lose");
        return;
    };
    let target = url::Url::parse(&redis).unwrap();
    let relay = Relay::start(format!("{}:{}", target.host_str().unwrap(), target.port().unwrap_or(6379))).await;
    let (g, gw) = fake_gateway::start().await;
    let relayed = format!("redis://127.0.0.1:{}", relay.port);
    let app = spawn_demo_with(&[
        ("REDIS_URL", &relayed),
        ("LVZHI_PUSH_WEBHOOK_URL", &gw),
        ("LVZHI_PUSH_WEBHOOK_SECRET", "s"),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_QUIET_HOURS", "off"),
    ])
    .await;
    assert_eq!(app.state.cache.backend(), "redis");
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    app.post(
        "/api/v1/me/devices",
        &deputy,
        json!({"platform": "android", "provider": "webhook", "token": "ok-redis-down"}),
    )
    .await
    .expect(201, "");
    let live = open_stream(&app.base, &deputy, None).await;
    let pending = tokio::spawn(events(live, 1, Duration::from_secs(10)));
    tokio::time::sleep(Duration::from_millis(200)).await;
    relay.cut();
    assert!(app.state.cache.ping().await.is_err(), "Redis is unreachable now");
    // Signing in still works: rate limits let requests through while the cache is down.
    app.login("staff1").await;
    let id = publish(&app, &admin, "Redis 停了也要送达", &[1]).await;
    let got = pending.await.unwrap();
    assert_eq!(got.len(), 1, "delivered in-process");
    assert_eq!(got[0].2["notice_id"], id);
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 1);
    assert_eq!(g.for_token("ok-redis-down").len(), 1);
}

#[tokio::test]
async fn the_demo_meeting_notice_with_its_pdf_reaches_phones_and_the_admin_sees_who_has_not_read() {
    let (g, url) = fake_gateway::start().await;
    let app = spawn_with(&[
        ("LVZHI_PUSH_WEBHOOK_URL", &url),
        ("LVZHI_PUSH_WEBHOOK_SECRET", "demo"),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_QUIET_HOURS", "off"),
    ])
    .await;
    lvzhi::demo::seed(&app.state).await.unwrap();
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    // A status that is none is refused; a NUL byte anywhere in an address too (found by contract
    // fuzzing on PostgreSQL).
    app.get("/api/v1/notices?status=x", &admin).await.expect(422, "validation_failed");
    app.get("/api/v1/notices?status=%00x", &admin).await.expect(400, "invalid_query");
    app.get("/api/v1/public/duty-reports?deputy_code=A%00", &admin).await.expect(400, "invalid_query");
    let list = app.get("/api/v1/notices?status=published", &admin).await;
    let id = list.body["items"][0]["id"].as_i64().unwrap();
    let v = app.get(&format!("/api/v1/notices/{id}"), &admin).await;
    assert_eq!(
        (v.body["kind"].as_str(), v.body["attachments"][0]["file_name"].as_str()),
        (Some("meeting"), Some("第十次会议议程.pdf"))
    );
    let targeted = v.body["stats"]["targeted"].as_i64().unwrap();
    assert!(targeted > 5, "a county's deputies: {targeted}");
    // Five demo phones, five pushes through the gateway (driven here; the app's own push worker
    // may take some of them first, so count what the gateway received, with a deadline).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while g.received().len() < 5 {
        assert!(std::time::Instant::now() < deadline, "only {} pushes reached the gateway", g.received().len());
        if lvzhi::push::deliver_pushes_once(&app.state).await.unwrap() == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert_eq!(g.received().len(), 5);
    assert!(g.received().iter().all(|r| r.body["title"] == "关于召开瑶海区人大常委会第十次会议的通知"));
    // The deputy reads it (pinned, first), fetches the PDF, asks for leave.
    let inbox = app.get("/api/v1/me/inbox", &deputy).await;
    assert_eq!(
        (inbox.body["items"][0]["notice_id"].as_i64(), inbox.body["items"][0]["pinned"].as_bool()),
        (Some(id), Some(true))
    );
    let one = app.get(&format!("/api/v1/me/inbox/{id}"), &deputy).await;
    let file = app
        .client
        .get(app.url(one.body["attachments"][0]["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(file.starts_with(b"%PDF-"));
    assert_eq!(hex::encode(Sha256::digest(&file)), one.body["attachments"][0]["sha256"].as_str().unwrap());
    let r = app
        .post(&format!("/api/v1/me/inbox/{id}/rsvp"), &deputy, json!({"answer": "leave", "reason": "外出调研"}))
        .await;
    assert_eq!(r.body["leave_status"], "pending");
    // The admin: counts, the non-readers (not deputy 1), the leave to decide.
    let s = app.get(&format!("/api/v1/notices/{id}"), &admin).await.body["stats"].clone();
    assert_eq!(
        (s["read"].as_i64(), s["leave_pending"].as_i64(), s["acknowledged"].as_i64()),
        (Some(1), Some(1), Some(5))
    );
    let unread = app.get(&format!("/api/v1/notices/{id}/recipients?filter=unread&limit=200"), &admin).await;
    let ids: Vec<i64> =
        unread.body["items"].as_array().unwrap().iter().map(|r| r["deputy_id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len() as i64, targeted - 1);
    assert!(!ids.contains(&1));
    let d = app.post(&format!("/api/v1/notices/{id}/leaves/1"), &admin, json!({"approve": true})).await;
    assert_eq!(d.body["leave_status"], "approved");
}

#[tokio::test]
async fn a_push_carries_what_it_says_and_the_metrics_count_what_the_outbox_settled() {
    let (app, g) = fake_gateway::demo_app(&[]).await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    app.post("/api/v1/me/devices", &deputy, json!({"platform": "android", "provider": "webhook", "token": "ok-carry"}))
        .await
        .expect(201, "");
    let id = publish(&app, &admin, "原标题", &[1]).await;
    // The notice's row changes after the push was queued (by hand here): delivery sends what was
    // queued, so it never reads notices.
    lvzhi::db::run(&app.state.db, move |c| {
        use diesel::prelude::*;
        use lvzhi::db::schema::notices as n;
        Ok(diesel::update(n::table.find(id)).set(n::title.eq("改过的标题")).execute(c)?)
    })
    .await
    .unwrap();
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 1);
    let got = g.for_token("ok-carry");
    assert_eq!(
        (got.len(), got[0].body["title"].as_str(), got[0].body["notice_id"].as_i64()),
        (1, Some("原标题"), Some(id))
    );
    let m = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let sent = m
        .lines()
        .find(|l| l.starts_with("lvzhi_outbox_settled_count{outbox=\"push\",step=\"sent\"}"))
        .unwrap_or_default();
    let n: u64 = sent.rsplit(' ').next().and_then(|v| v.parse().ok()).unwrap_or(0);
    assert!(n >= 1, "the push outbox's sent rows are counted: {sent:?}");
}
