use crate::fake_gateway;
use crate::helpers::*;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};

use fake_gateway::SECRET;

pub async fn app_with_gateway() -> (TestApp, fake_gateway::Gateway) {
    fake_gateway::demo_app(&[]).await
}

/// Registers a webhook device for a deputy straight in the store (deputies 2 and 3 have no login).
pub async fn device(app: &TestApp, deputy: i64, token: &str) {
    let (t, now) = (token.to_string(), app.state.now());
    lvzhi::db::tx(&app.state.db, move |c| {
        let d = lvzhi::push::seeding::NewDevice {
            deputy,
            account: 0,
            platform: "android",
            provider: "webhook",
            token: &t,
            app_version: Some("3.1"),
        };
        lvzhi::push::seeding::upsert_device(c, &d, now)
    })
    .await
    .unwrap();
}

pub async fn deliver(app: &TestApp) -> usize {
    lvzhi::push::deliver_pushes_once(&app.state).await.unwrap()
}

pub fn meeting(audience: Value) -> Value {
    let deadline = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    json!({"kind": "meeting", "title": "关于召开区人大常委会第十次会议的通知", "body": "**时间**：下周二上午九时", "audience": audience,
           "publish": true, "rsvp_required": true, "rsvp_deadline": deadline})
}

#[tokio::test]
pub async fn a_meeting_notice_reaches_inboxes_and_devices_and_staff_see_who_read_and_answered() {
    let (app, gw) = app_with_gateway().await;
    let admin = app.login("admin").await;
    let deputy = app.login("13955110000").await;
    // Deputy 1 registers the phone (twice: merged); deputies 2–5 have devices of every kind of fate.
    for _ in 0..2 {
        let r = app
            .post(
                "/api/v1/me/devices",
                &deputy,
                json!({"platform": "android", "provider": "webhook", "token": "ok-1", "app_version": "3.1"}),
            )
            .await;
        r.expect(201, "");
        assert_eq!(r.body.as_array().unwrap().len(), 1);
    }
    app.post("/api/v1/me/devices", &deputy, json!({"platform": "nokia", "provider": "carrier-pigeon", "token": ""}))
        .await
        .expect(422, "validation_failed");
    device(&app, 2, "gone-2").await;
    device(&app, 3, "flaky-3").await;
    device(&app, 4, "busy-4").await;
    device(&app, 5, "fail-5").await;
    let audience = json!({"deputies": [1, 2, 3, 4, 5]});
    let pre = app.post("/api/v1/notices/audience-preview", &admin, audience.clone()).await;
    assert_eq!(pre.body["deputies"], 5);
    let n = app.post("/api/v1/notices", &admin, meeting(audience)).await;
    n.expect(201, "");
    assert_eq!((n.body["status"].as_str(), n.body["stats"]["targeted"].as_i64()), (Some("published"), Some(5)));
    let id = n.body["id"].as_i64().unwrap();
    // First delivery round.
    assert_eq!(deliver(&app).await, 5);
    let ok = gw.for_token("ok-1");
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].body["notice_id"], id);
    assert_eq!(ok[0].dedup_id, format!("lvzhi-n{id}-d1-r0"));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(&ok[0].raw);
    assert_eq!(ok[0].signature, format!("sha256={}", hex::encode(mac.finalize().into_bytes())));
    // 410: the device is disabled and gets nothing more.
    let gone = app
        .raw_sql("UPDATE devices SET app_version = app_version WHERE token = 'gone-2' AND disabled_at IS NOT NULL")
        .unwrap();
    assert_eq!(gone, 1, "the dead token's device is disabled");
    // 500 and 429 are retried later (not before Retry-After), with the same dedup id.
    assert_eq!(deliver(&app).await, 0, "nothing due yet");
    app.clock.advance(chrono::Duration::seconds(10));
    assert_eq!(deliver(&app).await, 1, "the 500 is retried after its backoff; the 429 waits for Retry-After");
    app.clock.advance(chrono::Duration::seconds(130));
    assert_eq!(deliver(&app).await, 1);
    for t in ["flaky-3", "busy-4"] {
        let got = gw.for_token(t);
        assert_eq!(got.len(), 2, "{t}");
        assert_eq!(got[0].dedup_id, got[1].dedup_id, "{t}: a resend carries the same dedup id");
    }
    // 403: a dead letter, listed for admins and re-drivable.
    let root = app.root_token().await;
    let dead = app.get("/api/v1/push/dead-letters", &root).await;
    dead.expect(200, "");
    let letters = dead.body["items"].as_array().unwrap().clone();
    assert_eq!(letters.len(), 1);
    assert!(letters[0]["last_error"].as_str().unwrap().starts_with("403"));
    app.get("/api/v1/push/dead-letters", &admin).await.expect(403, "forbidden");
    let lid = letters[0]["id"].as_i64().unwrap();
    app.send(app.req(reqwest::Method::POST, &format!("/api/v1/push/dead-letters/{lid}/redrive"), Some(&root)))
        .await
        .expect(204, "");
    assert_eq!(deliver(&app).await, 1);
    assert_eq!(gw.for_token("fail-5")[1].dedup_id, gw.for_token("fail-5")[0].dedup_id);
    // The deputy's inbox: unread, then read, then answered with leave.
    let inbox = app.get("/api/v1/me/inbox", &deputy).await;
    inbox.expect(200, "");
    assert_eq!(inbox.body["items"][0]["notice_id"], id);
    assert_eq!(app.get("/api/v1/me/inbox/unread-count", &deputy).await.body["unread"], 1);
    let one = app.get(&format!("/api/v1/me/inbox/{id}"), &deputy).await;
    assert!(one.body["body"].as_str().unwrap().contains("下周二"));
    app.send(app.req(reqwest::Method::POST, &format!("/api/v1/me/inbox/{id}/read"), Some(&deputy)))
        .await
        .expect(204, "");
    assert_eq!(app.get("/api/v1/me/inbox/unread-count", &deputy).await.body["unread"], 0);
    app.post(&format!("/api/v1/me/inbox/{id}/rsvp"), &deputy, json!({"answer": "leave"}))
        .await
        .expect(422, "validation_failed");
    let r = app
        .post(&format!("/api/v1/me/inbox/{id}/rsvp"), &deputy, json!({"answer": "leave", "reason": "出差在外"}))
        .await;
    r.expect(200, "");
    assert_eq!((r.body["rsvp"].as_str(), r.body["leave_status"].as_str()), (Some("leave"), Some("approved")));
    // The staff view: counts, and who has not read.
    let v = app.get(&format!("/api/v1/notices/{id}"), &admin).await;
    let s = &v.body["stats"];
    assert_eq!(
        (s["targeted"].as_i64(), s["read"].as_i64(), s["leave"].as_i64(), s["unanswered"].as_i64()),
        (Some(5), Some(1), Some(1), Some(4))
    );
    // Taken by the gateway: deputies 1, 3 and 4 (the dead token and the refused push are not).
    assert_eq!((s["pushed"].as_i64(), s["acknowledged"].as_i64()), (Some(3), Some(3)));
    let unread = app.get(&format!("/api/v1/notices/{id}/recipients?filter=unread"), &admin).await;
    let ids: Vec<i64> =
        unread.body["items"].as_array().unwrap().iter().map(|r| r["deputy_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![2, 3, 4, 5]);
    // Remind the unread: a new send to their enabled devices only (not deputy 1, not the dead token).
    let before = gw.received().len();
    let rem = app.post(&format!("/api/v1/notices/{id}/remind"), &admin, json!({})).await;
    rem.expect(200, "");
    assert_eq!((rem.body["deputies"].as_i64(), rem.body["pushes"].as_i64()), (Some(4), Some(3)));
    deliver(&app).await;
    let again: Vec<String> =
        gw.received()[before..].iter().map(|r| r.body["token"].as_str().unwrap().to_string()).collect();
    assert!(!again.contains(&"ok-1".to_string()) && !again.contains(&"gone-2".to_string()), "{again:?}");
    assert!(gw.received()[before..].iter().all(|r| r.dedup_id.ends_with("-r1")));
    // Logging out drops the phone.
    app.send(app.req(reqwest::Method::POST, "/api/v1/auth/logout", Some(&deputy))).await.expect(204, "");
    let d2 = app.login("13955110000").await;
    assert_eq!(app.get("/api/v1/me/devices", &d2).await.body.as_array().unwrap().len(), 0);
}

#[tokio::test]
pub async fn audiences_stay_in_scope_and_leave_can_wait_for_approval() {
    let (app, _gw) = app_with_gateway().await;
    let admin = app.login("admin").await;
    let yaohai = app.login("yaohai").await;
    let city = app.get("/api/v1/auth/me", &admin).await.body["region"]["id"].as_i64().unwrap();
    let county = app.get("/api/v1/auth/me", &yaohai).await.body["region"]["id"].as_i64().unwrap();
    // A district admin cannot address the whole city: the part answers like a missing one.
    let bad = app.post("/api/v1/notices", &yaohai, meeting(json!({"regions": [county, city]}))).await;
    bad.expect(422, "validation_failed");
    assert_eq!(
        (bad.body["errors"][0]["field"].as_str(), bad.body["errors"][0]["code"].as_str()),
        (Some("audience.regions[1]"), Some("unknown"))
    );
    let missing = app.post("/api/v1/notices", &yaohai, meeting(json!({"regions": [county, 987_654]}))).await;
    assert_eq!(missing.body, bad.body);
    app.post("/api/v1/notices", &admin, meeting(json!({}))).await.expect(422, "validation_failed");
    let empty = app.post("/api/v1/notices", &admin, meeting(json!({"deputies": [1], "exclude": [1]}))).await;
    assert_eq!(empty.body["errors"][0]["code"], "empty_audience");
    app.post("/api/v1/notices", &admin, meeting(json!({"levels": ["galactic"]})))
        .await
        .expect(422, "validation_failed");
    // The district's notice by level reaches its own county-level deputies only.
    let n = app.post("/api/v1/notices", &yaohai, meeting(json!({"levels": ["county"]}))).await;
    n.expect(201, "");
    let reached = n.body["stats"]["targeted"].as_i64().unwrap();
    let all_county = app.post("/api/v1/notices/audience-preview", &admin, json!({"levels": ["county"]})).await.body
        ["deputies"]
        .as_i64()
        .unwrap();
    assert!(reached > 0 && reached < all_county, "{reached} of {all_county}");
    // The city sees the district's notice; the district does not see the city's. This one calls
    // a meeting: approved leave makes the deputy excused there.
    let start = app.clock.now() + chrono::Duration::days(3);
    let ev = app
        .post(
            "/api/v1/events",
            &admin,
            json!({"kind": "meeting", "title": "市人大常委会第十二次会议", "region_id": city, "venue": "市政务中心", "latitude": 31.82, "longitude": 117.22,
                   "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339(), "invitee_ids": [1, 2]}),
        )
        .await;
    ev.expect(201, "");
    let event = ev.body["id"].as_i64().unwrap();
    let mut with_approval = meeting(json!({"deputies": [1]}));
    with_approval["leave_needs_approval"] = json!(true);
    with_approval["event_id"] = json!(event);
    let cn = app.post("/api/v1/notices", &admin, with_approval).await;
    let cid = cn.body["id"].as_i64().unwrap();
    app.get(&format!("/api/v1/notices/{}", n.body["id"]), &admin).await.expect(200, "");
    app.get(&format!("/api/v1/notices/{cid}"), &yaohai).await.expect(404, "not_found");
    // Leave waiting for approval, then approved by staff.
    let deputy = app.login("13955110000").await;
    let r =
        app.post(&format!("/api/v1/me/inbox/{cid}/rsvp"), &deputy, json!({"answer": "leave", "reason": "住院"})).await;
    assert_eq!(r.body["leave_status"], "pending");
    let pending = app.get(&format!("/api/v1/notices/{cid}/recipients?filter=leave_pending"), &admin).await;
    assert_eq!(pending.body["items"][0]["deputy_id"], 1);
    let d = app.post(&format!("/api/v1/notices/{cid}/leaves/1"), &admin, json!({"approve": true})).await;
    d.expect(200, "");
    assert_eq!(d.body["leave_status"], "approved");
    app.post(&format!("/api/v1/notices/{cid}/leaves/1"), &admin, json!({"approve": true}))
        .await
        .expect(409, "no_pending_leave");
    let invitees = app.get(&format!("/api/v1/events/{event}"), &admin).await.body["invitees"].clone();
    let one = invitees.as_array().unwrap().iter().find(|i| i["deputy_id"] == 1).unwrap().clone();
    assert_eq!(one["leave_approved"], true, "{invitees}");
    // Another deputy's inbox never shows it; a retracted notice leaves the inbox.
    app.post(&format!("/api/v1/notices/{cid}/retract"), &admin, json!({})).await.expect(200, "");
    app.get(&format!("/api/v1/me/inbox/{cid}"), &deputy).await.expect(404, "not_found");
    app.post(&format!("/api/v1/notices/{cid}/retract"), &admin, json!({})).await.expect(409, "already_retracted");
}
