//! The cloud reception room: constituents sign in with a phone number and an SMS code.

use crate::fake_gateway;
use crate::helpers::*;
use serde_json::json;
use std::time::{Duration, Instant};

async fn app_with_sms() -> (TestApp, fake_gateway::Gateway) {
    let (g, base) = fake_gateway::start_all().await;
    let sms = format!("{base}/sms");
    let app = spawn_demo_with(&[("LVZHI_SMS_URL", &sms), ("LVZHI_SMS_SECRET", "s"), ("LVZHI_OUTBOUND_ALLOW_PRIVATE", "true")]).await;
    (app, g)
}

/// The code in the newest text to `phone` (the server sends it at once; polled with a deadline).
async fn code_for(app: &TestApp, g: &fake_gateway::Gateway, phone: &str, nth: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        lvzhi::sms::deliver_once(&app.state).await.unwrap();
        let texts = g.for_token(phone);
        if texts.len() >= nth {
            let body = texts[nth - 1].body["body"].as_str().unwrap().to_string();
            return body.chars().filter(|c| c.is_ascii_digit()).take(6).collect();
        }
        assert!(Instant::now() < deadline, "no code arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn ask(app: &TestApp, phone: &str) -> Answer {
    app.send(app.client.post(app.url("/api/v1/public/auth/code")).json(&json!({"phone": phone}))).await
}

async fn sign_in(app: &TestApp, phone: &str, code: &str, consent: Option<&str>) -> Answer {
    let mut b = json!({"phone": phone, "code": code});
    if let Some(v) = consent {
        b["consent_version"] = json!(v);
    }
    app.send(app.client.post(app.url("/api/v1/public/auth/sign-in")).json(&b)).await
}

#[tokio::test]
async fn a_constituent_signs_in_with_an_sms_code_after_consenting_to_the_privacy_notice() {
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
    let kept = app.raw_sql(&format!("UPDATE constituents SET phone = phone WHERE phone = '{phone}' AND consent_version = '{version}'")).unwrap();
    assert_eq!(kept, 1);
    // Five codes an hour per number: the fifth goes, the sixth does not.
    app.clock.advance(chrono::Duration::seconds(61));
    ask(&app, phone).await.expect(202, "");
    app.clock.advance(chrono::Duration::seconds(61));
    ask(&app, phone).await.expect(429, "rate_limited");
    // The password login never opens a constituent's account.
    app.login_raw(&format!("constituent:{phone}"), "!otp-only").await.expect(401, "invalid_credentials");
}

#[tokio::test]
async fn printed_codes_open_public_pages_that_never_show_a_phone_number() {
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
