//! The cloud reception room: constituents sign in with a phone number and an SMS code.

use crate::fake_gateway;
use crate::helpers::*;
use serde_json::json;
use std::time::{Duration, Instant};

pub(crate) async fn app_with_sms() -> (TestApp, fake_gateway::Gateway) {
    let (g, base) = fake_gateway::start_all().await;
    let sms = format!("{base}/sms");
    let app =
        spawn_demo_with(&[("LVZHI_SMS_URL", &sms), ("LVZHI_SMS_SECRET", "s"), ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1")])
            .await;
    (app, g)
}

/// The code in the newest text to `phone` (the server sends it at once; polled with a deadline).
pub(crate) async fn code_for(app: &TestApp, g: &fake_gateway::Gateway, phone: &str, nth: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        lvzhi::sms::deliver_once(&app.state).await.unwrap();
        // The nth text on, the first that is a code: another text (e.g. a case's) may land
        // between the count taken and the code asked for.
        let texts = g.for_token(phone);
        let code = texts.iter().skip(nth - 1).filter_map(|t| t.body["body"].as_str()).find(|b| b.contains("验证码"));
        if let Some(body) = code {
            return body.chars().filter(|c| c.is_ascii_digit()).take(6).collect();
        }
        assert!(Instant::now() < deadline, "no code arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub(crate) async fn ask(app: &TestApp, phone: &str) -> Answer {
    app.send(app.client.post(app.url("/api/v1/public/auth/code")).json(&json!({"phone": phone}))).await
}

pub(crate) async fn sign_in(app: &TestApp, phone: &str, code: &str, consent: Option<&str>) -> Answer {
    let mut b = json!({"phone": phone, "code": code});
    if let Some(v) = consent {
        b["consent_version"] = json!(v);
    }
    app.send(app.client.post(app.url("/api/v1/public/auth/sign-in")).json(&b)).await
}

#[tokio::test]
pub async fn a_constituent_signs_in_with_an_sms_code_after_consenting_to_the_privacy_notice() {
    let (app, g) = app_with_sms().await;
    // Start at the top of an hour, so the hourly limit's window holds the whole test.
    let now = app.clock.now().timestamp();
    app.clock.advance(chrono::Duration::seconds(3600 - now % 3600 + 1));
    let notice = app.send(app.client.get(app.url("/api/v1/public/privacy-notice"))).await;
    let version = notice.body["version"].as_str().unwrap().to_string();
    assert!(notice.body["text"].as_str().unwrap().contains("脱敏"));
    let phone = "13800138000";
    ask(&app, "12345").await.expect(422, "validation_failed");
    let sent = ask(&app, "138 0013 8000").await;
    assert_eq!(sent.expect(202, "").body["expires_in"], 300);
    ask(&app, phone).await.expect(429, "rate_limited");
    let code = code_for(&app, &g, phone, 1).await;
    assert!(g.for_token(phone)[0].dedup_id.starts_with("lvzhi-otp-"));
    // No consent yet: refused, and the code is still good.
    let no = sign_in(&app, phone, &code, None).await;
    assert_eq!(no.expect(422, "validation_failed").body["errors"][0]["code"], "consent_required");
    // Four wrong tries, then the fifth burns the code: the right one no longer works.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        sign_in(&app, phone, wrong, Some(&version)).await.expect(401, "otp_invalid");
    }
    sign_in(&app, phone, wrong, Some(&version)).await.expect(401, "otp_burned");
    sign_in(&app, phone, &code, Some(&version)).await.expect(401, "otp_invalid");
    // A new code a minute later signs in; the account is a constituent's.
    app.clock.advance(chrono::Duration::seconds(61));
    ask(&app, phone).await.expect(202, "");
    let code = code_for(&app, &g, phone, 2).await;
    let t = sign_in(&app, phone, &code, Some(&version)).await;
    t.expect(200, "");
    let token = t.body["access_token"].as_str().unwrap().to_string();
    let me = app.get("/api/v1/auth/me", &token).await;
    assert_eq!(me.expect(200, "").body["role"], "constituent");
    // A code used once does not work twice; an old one has expired.
    sign_in(&app, phone, &code, None).await.expect(401, "otp_invalid");
    app.clock.advance(chrono::Duration::seconds(61));
    ask(&app, phone).await.expect(202, "");
    let late = code_for(&app, &g, phone, 3).await;
    app.clock.advance(chrono::Duration::minutes(6));
    sign_in(&app, phone, &late, None).await.expect(401, "otp_expired");
    // Signing in again needs no new consent; the consent is kept with its version.
    ask(&app, phone).await.expect(202, "");
    let again = code_for(&app, &g, phone, 4).await;
    sign_in(&app, phone, &again, None).await.expect(200, "");
    let hash = app.state.pii.phone_hash(phone);
    let kept = app
        .raw_sql(&format!(
            "UPDATE constituents SET phone = phone WHERE phone_hash = '{hash}' AND consent_version = '{version}'"
        ))
        .unwrap();
    assert_eq!(kept, 1);
    // Five codes an hour per number: the fifth goes, the sixth does not.
    app.clock.advance(chrono::Duration::seconds(61));
    ask(&app, phone).await.expect(202, "");
    app.clock.advance(chrono::Duration::seconds(61));
    ask(&app, phone).await.expect(429, "rate_limited");
    // The password login never opens a constituent's account.
    app.login_raw(&lvzhi::reception::seeding::username(&hash), "!otp-only").await.expect(401, "invalid_credentials");
}

#[tokio::test]
pub async fn printed_codes_open_public_pages_that_never_show_a_phone_number() {
    let app = spawn_app().await;
    lvzhi::demo::seed(&app.state).await.unwrap();
    let admin = app.login("admin").await;
    let code = app.get("/api/v1/deputies/1", &admin).await.body["public_code"].as_str().unwrap().to_string();
    let page = app.send(app.client.get(app.url(&format!("/api/v1/public/pages/{code}")))).await;
    page.expect(200, "");
    assert_eq!(page.body["kind"], "deputy");
    assert!(!page.body["deputy"]["name"].as_str().unwrap().is_empty());
    assert!(!page.body["deputy"]["seats"].as_array().unwrap().is_empty());
    assert!(!page.text.contains("1395511") && !page.text.contains("phone"), "{}", page.text);
    let station = app.get("/api/v1/stations/1", &admin).await.body["public_code"].as_str().unwrap().to_string();
    let page = app.send(app.client.get(app.url(&format!("/api/v1/public/pages/{station}")))).await;
    page.expect(200, "");
    assert_eq!((page.body["kind"].as_str(), page.body["station"]["id"].as_i64()), (Some("station"), Some(1)));
    assert!(!page.body["station"]["this_week"].as_array().unwrap().is_empty(), "the demo roster has duty this week");
    assert!(!page.text.contains("1395511"), "no deputy's phone number");
    app.send(app.client.get(app.url("/api/v1/public/pages/NOPE-0000"))).await.expect(404, "not_found");
}

/// Signs a constituent in (asks for a code, reads it from the gateway, consents).
pub(crate) async fn constituent(app: &TestApp, g: &fake_gateway::Gateway, phone: &str) -> String {
    ask(app, phone).await.expect(202, "");
    let code = code_for(app, g, phone, 1).await;
    let version = app.send(app.client.get(app.url("/api/v1/public/privacy-notice"))).await.body["version"]
        .as_str()
        .unwrap()
        .to_string();
    let t = sign_in(app, phone, &code, Some(&version)).await;
    t.expect(200, "").body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
pub async fn a_constituent_leaves_opinions_follows_them_by_ticket_and_may_withdraw_one() {
    let (app, g) = app_with_sms().await;
    let now = app.clock.now().timestamp();
    app.clock.advance(chrono::Duration::seconds(3600 - now % 3600 + 1));
    let (alice, bob) = (constituent(&app, &g, "13800138001").await, constituent(&app, &g, "13800138002").await);
    let admin = app.login("admin").await;
    let station = app.get("/api/v1/stations/1", &admin).await.body["public_code"].clone();
    let deputy = app.get("/api/v1/deputies/1", &admin).await.body["public_code"].clone();
    let html = "<script>alert(1)</script>小区门口的路灯坏了一个月";
    let first = app
        .post(
            "/api/v1/opinions",
            &alice,
            json!({"station_code": station, "category": "urban_construction", "title": "路灯不亮", "content": html, "latitude": 31.86, "longitude": 117.28}),
        )
        .await;
    first.expect(201, "");
    let ticket = first.body["ticket"].as_str().unwrap().to_string();
    assert!(
        ticket.len() == 15
            && ticket.as_bytes()[8] == b'-'
            && ticket.chars().filter(|c| c.is_ascii_digit()).count() == 14,
        "{ticket}"
    );
    assert_eq!(
        (first.body["status"].as_str(), first.body["content"].as_str()),
        (Some("submitted"), Some(html)),
        "stored as text"
    );
    let second = app
        .post(
            "/api/v1/opinions",
            &alice,
            json!({"deputy_code": deputy, "category": "transport", "title": "公交班次太少", "content": "…"}),
        )
        .await;
    second.expect(201, "");
    let seq = |t: &str| t[9..].parse::<i64>().unwrap();
    assert_eq!(seq(second.body["ticket"].as_str().unwrap()), seq(&ticket) + 1);
    let mine = app.get("/api/v1/me/opinions", &alice).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(mine.body["items"][0]["title"], "公交班次太少");
    // Someone else's ticket is not found, however it was guessed; staff do not file opinions.
    app.get(&format!("/api/v1/me/opinions/{ticket}"), &bob).await.expect(404, "not_found");
    app.post(
        "/api/v1/opinions",
        &admin,
        json!({"station_code": station, "category": "other", "title": "t", "content": "c"}),
    )
    .await
    .expect(403, "forbidden");
    // Bad input.
    let bad = |b: serde_json::Value| app.post("/api/v1/opinions", &bob, b);
    bad(json!({"station_code": station, "deputy_code": deputy, "category": "other", "title": "t", "content": "c"}))
        .await
        .expect(422, "validation_failed");
    bad(json!({"station_code": "S-NOPE", "category": "other", "title": "t", "content": "c"}))
        .await
        .expect(422, "validation_failed");
    bad(json!({"station_code": station, "category": "other", "title": "t", "content": "长".repeat(5001)}))
        .await
        .expect(422, "validation_failed");
    // Withdrawn while nobody acted; not twice. The history keeps both steps.
    let w = app.post(&format!("/api/v1/me/opinions/{ticket}/withdraw"), &alice, json!({})).await;
    w.expect(200, "");
    assert_eq!(w.body["status"], "withdrawn");
    let steps: Vec<&str> =
        w.body["events"].as_array().unwrap().iter().map(|e| e["to_status"].as_str().unwrap()).collect();
    assert_eq!(steps, vec!["submitted", "withdrawn"]);
    app.post(&format!("/api/v1/me/opinions/{ticket}/withdraw"), &alice, json!({}))
        .await
        .expect(409, "illegal_transition");
    // Five an hour per constituent: three more go, the sixth does not.
    for i in 0..3 {
        app.post(
            "/api/v1/opinions",
            &alice,
            json!({"station_code": station, "category": "other", "title": format!("第{i}条"), "content": "c"}),
        )
        .await
        .expect(201, "");
    }
    app.post(
        "/api/v1/opinions",
        &alice,
        json!({"station_code": station, "category": "other", "title": "第六条", "content": "c"}),
    )
    .await
    .expect(429, "rate_limited");
}
