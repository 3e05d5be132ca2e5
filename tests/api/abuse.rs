//! The abuse paths of issue 28, each as a user with two district staff accounts would try it:
//! pulling another district's deputy into one's scope (a seat, an import row), penalising one
//! through a made-up past event, reading others' cases by claiming a position, resending a
//! refused opinion, and the streams, photos and texts that must not outlive or leak a secret.

use crate::delivery::open_stream;
use crate::helpers::*;
use crate::opinion_cases::{file, path, station_code};
use crate::reception::{app_with_sms, ask, constituent};
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

/// The first deputy seated in the district with this code (read by the city's staff).
async fn deputy_in(app: &TestApp, admin: &str, code: &str) -> i64 {
    let region = app.region_id(admin, code).await;
    app.get(&format!("/api/v1/deputies?region_id={region}&limit=1"), admin).await.body["items"][0]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_seat_or_an_import_row_never_pulls_another_districts_deputy_in() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let yaohai = app.login("yaohai").await;
    let shushan_deputy = deputy_in(&app, &admin, "340104").await;
    let county = app.region_id(&admin, "340102").await;
    let seat = json!({"level": "county", "region_id": county, "term": 18});
    let seats = || {
        app.raw_strings(&format!("SELECT CAST(COUNT(*) AS TEXT) AS v FROM seats WHERE deputy_id = {shushan_deputy}"))[0]
            .clone()
    };
    let before = seats();
    let pulled = app.post(&format!("/api/v1/deputies/{shushan_deputy}/seats"), &yaohai, seat.clone()).await;
    let missing = app.post("/api/v1/deputies/987654321/seats", &yaohai, seat.clone()).await;
    pulled.expect(404, "not_found");
    assert_eq!(pulled.body, missing.body);
    assert_eq!(seats(), before);
    // Still out of reach afterwards: the phone, the points, an account.
    app.get(&format!("/api/v1/deputies/{shushan_deputy}/phone"), &yaohai).await.expect(404, "not_found");
    // The CSV import: a row with a city deputy's phone and name (deputy 1 sits in the city
    // congress, outside 瑶海区) answers like a phone of another person, and nothing is written.
    let d1 = app.get("/api/v1/deputies/1", &admin).await;
    let name = d1.body["name"].as_str().unwrap();
    let csv = format!("姓名,性别,手机号,层级,行政区划代码,届次\n{name},男,13955110000,县,340102,18\n");
    let other_name = "姓名,性别,手机号,层级,行政区划代码,届次\n别人,男,13955110000,县,340102,18\n";
    let import = |csv: String| {
        app.send(
            app.req(Method::POST, "/api/v1/deputies/import", Some(&yaohai))
                .header("content-type", "text/csv")
                .body(csv),
        )
    };
    let (same, other) = (import(csv).await, import(other_name.to_string()).await);
    same.expect(422, "validation_failed");
    assert_eq!(same.body, other.body);
    assert_eq!(same.body["errors"][0]["code"], "phone_taken");
    assert_eq!(
        app.get("/api/v1/deputies/1", &admin).await.body["seats"].as_array().unwrap().len(),
        d1.body["seats"].as_array().unwrap().len()
    );
    // The city's staff, who hold deputy 1, may add that seat.
    let csv = format!("姓名,性别,手机号,层级,行政区划代码,届次\n{name},男,13955110000,县,340102,18\n");
    let ok = app
        .send(
            app.req(Method::POST, "/api/v1/deputies/import", Some(&admin)).header("content-type", "text/csv").body(csv),
        )
        .await;
    assert_eq!(ok.expect(201, "").body["seats_added_to_existing"], 1);
}

#[tokio::test]
async fn events_never_reach_deputies_out_of_scope_and_past_absences_need_a_second_pair_of_eyes() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let yaohai = app.login("yaohai").await;
    let shushan_deputy = deputy_in(&app, &admin, "340104").await;
    let own = deputy_in(&app, &admin, "340102").await;
    let county = app.region_id(&admin, "340102").await;
    let now = app.clock.now();
    let past = |invitees: Vec<i64>| {
        json!({"kind": "meeting", "title": "补录会议", "region_id": county, "station_id": 1, "starts_at": (now - chrono::Duration::days(3)).to_rfc3339(),
               "ends_at": (now - chrono::Duration::days(3) + chrono::Duration::hours(2)).to_rfc3339(), "invitee_ids": invitees})
    };
    let events = || app.raw_strings("SELECT CAST(COUNT(*) AS TEXT) AS v FROM events")[0].clone();
    let before = events();
    let out = app.post("/api/v1/events", &yaohai, past(vec![own, shushan_deputy])).await;
    let missing = app.post("/api/v1/events", &yaohai, past(vec![own, 987_654_321])).await;
    out.expect(422, "validation_failed");
    assert_eq!(out.body, missing.body);
    assert_eq!(out.body["errors"][0]["code"], "unknown_deputy");
    assert_eq!(events(), before);
    // Station staff record no past events (congress staff do).
    let staff = app.login("staff1").await;
    let by_staff = app.post("/api/v1/events", &staff, past(vec![])).await;
    by_staff.expect(422, "validation_failed");
    assert_eq!(by_staff.body["errors"][0]["code"], "starts_in_past");
    // A past meeting of their own deputy: closing it proposes the absence, it does not post it.
    let ev = app.post("/api/v1/events", &yaohai, past(vec![own])).await;
    let id = ev.expect(201, "").body["id"].as_i64().unwrap();
    let closed = app.post(&format!("/api/v1/events/{id}/close"), &yaohai, json!({})).await;
    assert_eq!(closed.expect(200, "").body["invitees"][0]["attendance"], "absent");
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let entries = |d: i64| {
        app.raw_strings(&format!("SELECT CAST(COUNT(*) AS TEXT) AS v FROM ledger_entries WHERE deputy_id = {d} AND rule_code = 'meeting_absent'"))[0].clone()
    };
    assert_eq!(entries(own).as_deref(), Some("0"));
    let proposal = app.raw_strings(&format!(
        "SELECT CAST(id AS TEXT) AS v FROM ledger_proposals WHERE deputy_id = {own} AND status = 'pending'"
    ));
    assert_eq!(proposal.len(), 1);
    let pid = proposal[0].clone().unwrap();
    // The one who closed it cannot approve it; another staff member in scope can.
    app.post(&format!("/api/v1/ledger/proposals/{pid}/decide"), &yaohai, json!({"approve": true}))
        .await
        .expect(403, "maker_checker");
    let decided = app.post(&format!("/api/v1/ledger/proposals/{pid}/decide"), &admin, json!({"approve": true})).await;
    assert_eq!(decided.expect(200, "").body["status"], "approved");
    assert_eq!(entries(own).as_deref(), Some("1"));
}

#[tokio::test]
async fn a_refused_opinion_stays_refused_when_resent_with_its_key() {
    let (app, g) = app_with_sms().await;
    // Start at the top of an hour so that the five fall in one window.
    let now = app.clock.now().timestamp();
    app.clock.advance(chrono::Duration::seconds(3600 - now % 3600 + 1));
    let alice = constituent(&app, &g, "13800138031").await;
    let admin = app.login("admin").await;
    let station = station_code(&app, &admin, 1).await;
    for i in 0..5 {
        file(&app, &alice, &station, &format!("第{i}件事"), None).await;
    }
    let body = json!({"station_code": station, "category": "transport", "title": "第六件", "content": "又一件"});
    let send = || {
        app.send(
            app.req(Method::POST, "/api/v1/opinions", Some(&alice)).header("Idempotency-Key", "sixth-1").json(&body),
        )
    };
    send().await.expect(429, "rate_limited");
    send().await.expect(429, "rate_limited");
    let mine = app.get("/api/v1/me/opinions", &alice).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn followers_see_a_public_summary_and_nothing_of_the_person_who_filed() {
    let (app, g) = app_with_sms().await;
    // At the top of an hour, so that the looks below fall in one window of the limit.
    let now = app.clock.now().timestamp();
    app.clock.advance(chrono::Duration::seconds(3600 - now % 3600 + 1));
    let (alice, carol) = (constituent(&app, &g, "13800138041").await, constituent(&app, &g, "13800138042").await);
    let admin = app.login("admin").await;
    let station = station_code(&app, &admin, 1).await;
    let secret = "我家电话13912345678，住甲座";
    let b = json!({"station_code": station, "category": "urban_construction", "title": "甲座门口路灯坏了", "content": secret,
                   "latitude": 31.8600, "longitude": 117.2800});
    let ticket =
        app.post("/api/v1/opinions", &alice, b).await.expect(201, "").body["ticket"].as_str().unwrap().to_string();
    let look = |lat: f64| {
        let (app, carol, url) = (
            &app,
            &carol,
            format!("/api/v1/me/opinions/similar?category=urban_construction&latitude={lat}&longitude=117.2801"),
        );
        async move { app.get(&url, carol).await }
    };
    let found = look(31.8601).await;
    let case = found.expect(200, "").body[0].clone();
    assert_eq!(
        (case["ticket"].as_str(), case["title"].as_str(), case["distance_m"].as_f64()),
        (Some(ticket.as_str()), Some(""), Some(100.0))
    );
    let fv = app.post(&path(&ticket, "follow"), &carol, json!({"latitude": 31.8601, "longitude": 117.2801})).await;
    fv.expect(200, "");
    for text in
        [&fv.text, &app.get(&path(&ticket, ""), &carol).await.text, &app.get("/api/v1/me/opinions", &carol).await.text]
    {
        assert!(!text.contains("13912345678") && !text.contains("甲座") && !text.contains("31.86"), "{text}");
    }
    assert_eq!(
        (fv.body["content"].as_str(), fv.body["latitude"].is_null(), fv.body["photo_urls"].as_array().map(Vec::len)),
        (Some(""), true, Some(0))
    );
    // Staff approve a public title and answer: that is what the follower then reads.
    let p = app
        .post(&path(&ticket, "publication"), &admin, json!({"title": "某小区路灯损坏", "answer": "已报市政维修"}))
        .await;
    p.expect(200, "");
    let seen = app.get(&path(&ticket, ""), &carol).await;
    assert_eq!(
        (seen.body["title"].as_str(), seen.body["public_answer"].as_str()),
        (Some("某小区路灯损坏"), Some("已报市政维修"))
    );
    app.post(&path(&ticket, "publication"), &carol, json!({"title": "x"})).await.expect(403, "forbidden");
    // The owner still sees everything of their own case.
    assert_eq!(app.get(&path(&ticket, ""), &alice).await.body["content"], secret);
    // Walking a position around town is bounded.
    let mut limited = false;
    for i in 0..25 {
        if look(31.80 + f64::from(i) * 0.002).await.status == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "looking around was never limited");
}

/// Whether a live stream ends (the server closes it) within `within`, reading what it sends.
async fn ends_within(stream: reqwest::Response, within: Duration) -> bool {
    let mut body = stream.bytes_stream();
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(None | Some(Err(_))) = tokio::time::timeout(Duration::from_secs(1), body.next()).await {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn a_live_stream_ends_at_logout() {
    let app = spawn_demo().await;
    let token = app.login("13955110000").await;
    let ended = tokio::spawn(ends_within(open_stream(&app.base, &token, None).await, Duration::from_secs(10)));
    let out = app.send(app.req(Method::POST, "/api/v1/auth/logout", Some(&token))).await;
    assert_eq!(out.status, 204);
    assert!(ended.await.unwrap(), "the stream went on after logout");
}

#[tokio::test]
async fn a_live_stream_ends_when_its_token_expires() {
    let app = spawn_demo_with(&[("LVZHI_ACCESS_TOKEN_TTL_SECS", "2")]).await;
    let token = app.login("13955110000").await;
    assert!(
        ends_within(open_stream(&app.base, &token, None).await, Duration::from_secs(15)).await,
        "the stream outlived its token"
    );
}

#[tokio::test]
async fn deputy_photos_are_https_on_public_hosts() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let d = app.get("/api/v1/deputies/1", &admin).await;
    for bad in [
        "http://img.example.cn/a.jpg",
        "https://10.0.0.8/a.jpg",
        "https://[::ffff:127.0.0.1]/a.jpg",
        "https://localhost./a.jpg",
        "javascript:alert(1)",
    ] {
        let r = app.patch("/api/v1/deputies/1", &admin, Some(&d.etag()), json!({"photo_url": bad})).await;
        r.expect(422, "validation_failed");
        assert_eq!(r.body["errors"][0]["code"], "invalid_url", "{bad}");
    }
    app.patch("/api/v1/deputies/1", &admin, Some(&d.etag()), json!({"photo_url": "https://img.example.cn/a.jpg"}))
        .await
        .expect(200, "");
}

#[tokio::test]
async fn sign_in_codes_are_never_stored_in_clear() {
    let (app, g) = app_with_sms().await;
    let bodies = || app.raw_strings("SELECT body AS v FROM sms_outbox WHERE deputy_id = 0");
    // Queued (the server may already be sending it): sealed, or already emptied — never clear.
    let (pii, now) = (app.state.pii.clone(), app.state.now());
    lvzhi::db::tx(&app.state.db, move |c| {
        lvzhi::sms::enqueue_text(c, &pii, "13800138052", "您的验证码是 654321", "test-otp-1", now)
    })
    .await
    .unwrap();
    let queued = bodies();
    assert!(
        !queued.is_empty()
            && queued.iter().flatten().all(|b| b.is_empty() || (b.starts_with("pii1:") && !b.contains("654321"))),
        "{queued:?}"
    );
    ask(&app, "13800138051").await.expect(202, "");
    let code = crate::reception::code_for(&app, &g, "13800138051", 1).await;
    assert_eq!(code.len(), 6);
    // Sent: every body is gone.
    let deadline = Instant::now() + Duration::from_secs(10);
    while bodies().iter().flatten().any(|b| !b.is_empty()) {
        assert!(Instant::now() < deadline, "a sent code is still stored");
        lvzhi::sms::deliver_once(&app.state).await.unwrap();
        tokio::task::yield_now().await;
    }
    assert!(!app.tables_containing(&code).iter().any(|t| t == "sms_outbox"));
    assert_eq!(g.for_token("13800138052").len(), 1, "the sealed text was sent as written");
    assert!(g.for_token("13800138052")[0].body["body"].as_str().unwrap().contains("654321"));
}
