//! Texts to the person who filed a case, at its milestones: accepted or rejected (with the
//! reason), answered, replied, closed (with the link to rate); one per (case, milestone, round),
//! none when turned off, at most five a day, held through the quiet hours; and the deputy's
//! answer to a booking.

use crate::fake_gateway;
use crate::helpers::*;
use crate::opinion_cases::{file, on_duty, path, station_code};
use crate::reception::{ask, constituent, sign_in};
use serde_json::json;

const BASE: &str = "https://rd.example.gov.cn";

pub(crate) async fn app(quiet: &str) -> (TestApp, fake_gateway::Gateway) {
    let (g, base) = fake_gateway::start_all().await;
    let sms = format!("{base}/sms");
    let extra = [
        ("LVZHI_SMS_URL", sms.as_str()),
        ("LVZHI_SMS_SECRET", "s"),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_PUBLIC_BASE_URL", BASE),
        ("LVZHI_QUIET_HOURS", quiet),
    ];
    (spawn_demo_with(&extra).await, g)
}

/// Runs the milestone texts and the sender; the texts the number has, after the sign-in code.
async fn texts_to(app: &TestApp, g: &fake_gateway::Gateway, phone: &str) -> Vec<String> {
    lvzhi::reception::text_milestones(&app.state).await.unwrap();
    lvzhi::sms::deliver_once(&app.state).await.unwrap();
    g.for_token(phone)
        .iter()
        .filter(|r| !r.body["dedup_id"].as_str().unwrap_or_default().starts_with("lvzhi-otp"))
        .map(|r| r.body["body"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Signs the number in again (its newest code, not its first).
async fn sign_in_again(app: &TestApp, g: &fake_gateway::Gateway, phone: &str) -> String {
    let codes = |g: &fake_gateway::Gateway| -> Vec<String> {
        g.for_token(phone)
            .iter()
            .filter(|r| r.body["dedup_id"].as_str().unwrap_or_default().starts_with("lvzhi-otp"))
            .map(|r| r.body["body"].as_str().unwrap().chars().filter(|c| c.is_ascii_digit()).take(6).collect())
            .collect()
    };
    let before = codes(g).len();
    ask(app, phone).await.expect(202, "");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while codes(g).len() == before {
        assert!(std::time::Instant::now() < deadline, "no code arrived");
        lvzhi::sms::deliver_once(&app.state).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let code = codes(g).pop().unwrap();
    sign_in(app, phone, &code, None).await.expect(200, "").body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
pub async fn each_milestone_is_texted_once_with_a_link_to_the_case() {
    let (app, g) = app("off").await;
    let phone = "13800141001";
    let alice = constituent(&app, &g, phone).await;
    let (admin, deputy, unit) = (app.login("admin").await, app.login("13955110000").await, app.login("unit1").await);
    on_duty(&app, &admin, 1, 1, 1).await;
    let station = station_code(&app, &admin, 1).await;
    let ticket = file(&app, &alice, &station, "路灯不亮", None).await;
    app.post(&path(&ticket, "accept"), &admin, json!({})).await.expect(200, "");
    let got = texts_to(&app, &g, phone).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("已受理") && got[0].contains(&format!("{BASE}/m/cases/{ticket}")), "{}", got[0]);
    // Run again: nothing new.
    assert_eq!(texts_to(&app, &g, phone).await.len(), 1);
    app.post(&path(&ticket, "answer"), &deputy, json!({"body": "已转告街道"})).await.expect(200, "");
    app.post(&path(&ticket, "forward"), &admin, json!({"unit_id": 1, "working_days": 5})).await.expect(200, "");
    app.post(&path(&ticket, "reply"), &unit, json!({"body": "三日内修复"})).await.expect(200, "");
    app.post(&path(&ticket, "close"), &admin, json!({})).await.expect(200, "");
    let got = texts_to(&app, &g, phone).await;
    assert_eq!(got.len(), 4, "accepted, answered, replied, closed (forwarding is not texted): {got:?}");
    for said in ["已受理", "代表已答复", "承办单位已回复", "请对办理结果进行评价"] {
        assert!(got.iter().any(|t| t.contains(said)), "{said}: {got:?}");
    }
    let mut dedups: Vec<String> =
        g.for_token(phone).iter().skip(1).map(|r| r.body["dedup_id"].as_str().unwrap().to_string()).collect();
    dedups.sort();
    let id = app.raw_strings(&format!("SELECT CAST(id AS TEXT) AS v FROM opinions WHERE ticket = '{ticket}'"))[0]
        .clone()
        .unwrap();
    let want = ["accepted", "answered", "closed", "replied"].map(|m| format!("case:{id}:{m}:r1"));
    assert_eq!(dedups, want);
    // A rejection says why.
    let other = file(&app, &alice, &station, "重复的事", None).await;
    app.post(&path(&other, "reject"), &admin, json!({"reason": "与已受理事项重复"})).await.expect(200, "");
    let got = texts_to(&app, &g, phone).await;
    assert_eq!(got.len(), 5);
    assert!(got.iter().any(|t| t.contains("未予受理") && t.contains("与已受理事项重复")), "{got:?}");
}

#[tokio::test]
pub async fn texts_can_be_turned_off_and_never_exceed_five_a_day() {
    let (app, g) = app("off").await;
    let phone = "13800141002";
    let mut alice = constituent(&app, &g, phone).await;
    let mut admin = app.login("admin").await;
    let station = station_code(&app, &admin, 1).await;
    let quiet_case = file(&app, &alice, &station, "不要短信", None).await;
    let t = app
        .send(
            app.req(reqwest::Method::PUT, &format!("/api/v1/me/opinions/{quiet_case}/texts"), Some(&alice))
                .json(&json!({"enabled": false})),
        )
        .await;
    t.expect(200, "");
    assert_eq!(app.get(&format!("/api/v1/me/opinions/{quiet_case}"), &alice).await.body["texts"], false);
    // Someone else cannot touch that setting.
    let bob = constituent(&app, &g, "13800141003").await;
    let other = app
        .send(
            app.req(reqwest::Method::PUT, &format!("/api/v1/me/opinions/{quiet_case}/texts"), Some(&bob))
                .json(&json!({"enabled": true})),
        )
        .await;
    other.expect(404, "not_found");
    app.post(&path(&quiet_case, "accept"), &admin, json!({})).await.expect(200, "");
    assert_eq!(texts_to(&app, &g, phone).await.len(), 0, "texts are off for that case");
    // Seven cases accepted in a day: five texts.
    for i in 0..7 {
        let t = file(&app, &alice, &station, &format!("第{i}件"), None).await;
        app.post(&path(&t, "accept"), &admin, json!({})).await.expect(200, "");
        if i == 3 {
            // Five opinions an hour per person: an hour later (and signed in again).
            app.clock.advance(chrono::Duration::minutes(61));
            (alice, admin) = (sign_in_again(&app, &g, phone).await, app.login("admin").await);
        }
    }
    assert_eq!(texts_to(&app, &g, phone).await.len(), 5);
}

#[tokio::test]
pub async fn a_milestone_in_the_quiet_hours_is_held_until_they_end() {
    // Quiet around the clock but for one minute: whatever the time of the run, it is quiet now.
    let now = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
    let (from, to) = (now - chrono::Duration::hours(1), now + chrono::Duration::hours(1));
    let quiet = format!("{}-{}", from.format("%H:%M"), to.format("%H:%M"));
    let (app, g) = app(&quiet).await;
    let phone = "13800141004";
    let alice = constituent(&app, &g, phone).await;
    let admin = app.login("admin").await;
    let station = station_code(&app, &admin, 1).await;
    let ticket = file(&app, &alice, &station, "夜里的事", None).await;
    app.post(&path(&ticket, "accept"), &admin, json!({})).await.expect(200, "");
    assert_eq!(texts_to(&app, &g, phone).await.len(), 0, "held");
    let waiting = app.raw_strings("SELECT CAST(next_at AS TEXT) AS v FROM sms_outbox WHERE dedup_id LIKE 'case:%'");
    assert_eq!(waiting.len(), 1);
    app.clock.advance(chrono::Duration::minutes(121));
    lvzhi::sms::deliver_once(&app.state).await.unwrap();
    assert_eq!(g.for_token(phone).len(), 2, "sent once the quiet hours ended");
}

#[tokio::test]
pub async fn the_deputys_answer_to_a_booking_is_texted() {
    let (app, g) = app("off").await;
    let phone = "13800141005";
    let alice = constituent(&app, &g, phone).await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    let slot = on_duty(&app, &admin, 1, 1, 24 * 60).await;
    let b = app
        .post(
            "/api/v1/appointments",
            &alice,
            json!({"slot_id": slot, "deputy_id": 1, "mode": "in_person", "topic": "拆迁补偿"}),
        )
        .await;
    b.expect(201, "");
    let id = b.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/appointments/{id}/confirm"), &deputy, json!({})).await.expect(200, "");
    let got = texts_to(&app, &g, phone).await;
    assert_eq!(got.len(), 1);
    assert!(got[0].contains("已确认") && got[0].contains(BASE), "{}", got[0]);
}
