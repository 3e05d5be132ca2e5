//! The cloud reception room's loop: a constituent's opinion goes to the deputy on duty, staff
//! forward it to a handling unit, the unit replies (live to the constituent), the constituent
//! rates it; threads, deadlines in working days, extensions, reminders, second rounds.

use crate::delivery::{events, open_stream};
use crate::fake_gateway;
use crate::helpers::*;
use crate::reception::{app_with_sms, constituent};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub(crate) async fn station_code(app: &TestApp, admin: &str, id: i64) -> Value {
    app.get(&format!("/api/v1/stations/{id}"), admin).await.body["public_code"].clone()
}

pub(crate) async fn file(app: &TestApp, who: &str, station: &Value, title: &str, at: Option<(f64, f64)>) -> String {
    let mut b = json!({"station_code": station, "category": "urban_construction", "title": title, "content": "小区门口路灯坏了"});
    if let Some((la, lo)) = at {
        b["latitude"] = json!(la);
        b["longitude"] = json!(lo);
    }
    let o = app.post("/api/v1/opinions", who, b).await;
    o.expect(201, "");
    o.body["ticket"].as_str().unwrap().to_string()
}

pub(crate) fn path(ticket: &str, action: &str) -> String {
    if action.is_empty() {
        format!("/api/v1/opinions/{ticket}")
    } else {
        format!("/api/v1/opinions/{ticket}/{action}")
    }
}

/// Puts `deputy` on duty at `station` from `in_minutes` for three hours; returns the slot id.
pub(crate) async fn on_duty(app: &TestApp, admin: &str, station: i64, deputy: i64, in_minutes: i64) -> i64 {
    let from = app.clock.now() + chrono::Duration::minutes(in_minutes);
    let s = app
        .post(
            &format!("/api/v1/stations/{station}/slots"),
            admin,
            json!({"starts_at": from.to_rfc3339(), "ends_at": (from + chrono::Duration::hours(3)).to_rfc3339(), "deputy_ids": [deputy]}),
        )
        .await;
    s.expect(201, "");
    s.body["id"].as_i64().unwrap()
}

/// Texts the fake SMS gateway received for a number, after running the sender (polled).
pub(crate) async fn texts(app: &TestApp, g: &fake_gateway::Gateway, phone: &str, want: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        lvzhi::sms::deliver_once(&app.state).await.unwrap();
        let got: Vec<String> =
            g.for_token(phone).iter().map(|r| r.body["body"].as_str().unwrap_or_default().to_string()).collect();
        if got.len() >= want || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
pub async fn an_opinion_left_at_a_station_is_answered_forwarded_replied_to_and_rated() {
    let (app, g) = app_with_sms().await;
    let alice = constituent(&app, &g, "13800138011").await;
    let (admin, deputy, unit) = (app.login("admin").await, app.login("13955110000").await, app.login("unit1").await);
    on_duty(&app, &admin, 1, 1, 1).await;
    let station = station_code(&app, &admin, 1).await;
    let ticket = file(&app, &alice, &station, "路灯不亮", None).await;
    // The demo deputy leads station 1's roster: the opinion is theirs, with the phone masked.
    let mine = app.get("/api/v1/me/opinions", &deputy).await;
    mine.expect(200, "");
    assert_eq!(mine.body["items"][0]["ticket"], ticket.as_str());
    assert_eq!(mine.body["items"][0]["phone_masked"], "138****8011");
    assert!(!mine.text.contains("13800138011"));
    // The unit cannot read it before it is forwarded; nobody else's deputy either.
    app.get(&path(&ticket, ""), &unit).await.expect(404, "not_found");
    app.post(&path(&ticket, "reply"), &unit, json!({"body": "x"})).await.expect(404, "not_found");
    // A constituent stream, opened before anything happens.
    let stream = open_stream(&app.url(""), &alice, None).await;
    let live = tokio::spawn(events(stream, 4, Duration::from_secs(15)));
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The deputy answers (an answer to the constituent, and an internal note they never see).
    app.post(&path(&ticket, "messages"), &deputy, json!({"body": "已联系街道，内部跟进", "internal": true}))
        .await
        .expect(201, "");
    let a = app.post(&path(&ticket, "answer"), &deputy, json!({"body": "您好，已转告街道办，将尽快修复。"})).await;
    assert_eq!(a.expect(200, "").body["status"], "answered");
    app.post(&path(&ticket, "answer"), &deputy, json!({"body": "again"})).await.expect(409, "illegal_transition");
    app.post(&path(&ticket, "forward-request"), &deputy, json!({"note": "需住建局处理"})).await.expect(200, "");
    // Staff forward it to the unit with a deadline in working days; the unit is texted.
    let f = app.post(&path(&ticket, "forward"), &admin, json!({"unit_id": 1, "working_days": 5})).await;
    f.expect(200, "");
    assert_eq!(
        (f.body["status"].as_str(), f.body["unit_id"].as_i64(), f.body["overdue"].as_bool()),
        (Some("forwarded"), Some(1), Some(false))
    );
    assert!(f.body["forward_requested"] == false && f.body["due_at"].is_string());
    assert!(texts(&app, &g, "0551-63500001", 1).await[0].contains(&ticket));
    // The unit sees it in its queue, replies; the reply reaches the constituent's stream.
    let queue = app.get("/api/v1/me/opinions", &unit).await;
    assert_eq!(queue.body["items"][0]["ticket"], ticket.as_str());
    let sent = Instant::now();
    app.post(&path(&ticket, "reply"), &unit, json!({"body": "已安排维修，三日内完成。"})).await.expect(200, "");
    let got = live.await.unwrap();
    let kinds: Vec<(&str, &str)> =
        got.iter().map(|e| (e.1.as_str(), e.2["status"].as_str().or(e.2["author"].as_str()).unwrap_or(""))).collect();
    assert_eq!(
        kinds,
        vec![
            ("opinion_status", "answered"),
            ("opinion_message", "deputy"),
            ("opinion_status", "forwarded"),
            ("opinion_status", "replied")
        ]
    );
    assert!(sent.elapsed() < Duration::from_secs(1), "the reply reached the stream in {:?}", sent.elapsed());
    // The constituent's view: answers yes, internal notes no, handling details no.
    let view = app.get(&format!("/api/v1/me/opinions/{ticket}"), &alice).await;
    view.expect(200, "");
    let bodies: Vec<&str> =
        view.body["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, vec!["您好，已转告街道办，将尽快修复。", "已安排维修，三日内完成。"]);
    assert!(
        !view.text.contains("内部跟进")
            && !view.text.contains("需住建局处理")
            && view.body.get("phone_masked").is_none()
    );
    let staff_view = app.get(&path(&ticket, ""), &admin).await;
    assert_eq!(staff_view.body["messages"].as_array().unwrap().len(), 4, "staff see the internal notes too");
    // Closed by staff, rated by the constituent (not by anyone else, not twice).
    app.post(
        &format!("/api/v1/me/opinions/{ticket}/rate"),
        &alice,
        json!({"satisfaction": "satisfied", "result_score": 5, "attitude_score": 5}),
    )
    .await
    .expect(409, "illegal_transition");
    app.post(&path(&ticket, "close"), &admin, json!({})).await.expect(200, "");
    app.post(
        &format!("/api/v1/me/opinions/{ticket}/rate"),
        &alice,
        json!({"satisfaction": "great", "result_score": 9, "attitude_score": 5}),
    )
    .await
    .expect(422, "validation_failed");
    let r = app
        .post(
            &format!("/api/v1/me/opinions/{ticket}/rate"),
            &alice,
            json!({"satisfaction": "satisfied", "result_score": 5, "attitude_score": 4}),
        )
        .await;
    assert_eq!((r.expect(200, "").body["status"].as_str(), r.body["result_score"].as_i64()), (Some("rated"), Some(5)));
    app.post(
        &format!("/api/v1/me/opinions/{ticket}/rate"),
        &alice,
        json!({"satisfaction": "satisfied", "result_score": 5, "attitude_score": 4}),
    )
    .await
    .expect(409, "illegal_transition");
    let steps: Vec<String> = r.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["actor"].as_str().unwrap(), e["to_status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        vec![
            "constituent:submitted",
            "deputy:answered",
            "staff:forwarded",
            "unit:replied",
            "staff:closed",
            "constituent:rated"
        ]
    );
    // The answer earned the deputy's points once.
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let points = app.get("/api/v1/me/points", &deputy).await;
    let earned: Vec<&Value> =
        points.body["entries"].as_array().unwrap().iter().filter(|e| e["rule_code"] == "opinion_answered").collect();
    assert_eq!(earned.len(), 1);
    assert_eq!((earned[0]["points"].as_i64(), earned[0]["source_kind"].as_str()), (Some(1), Some("opinion")));
}

#[tokio::test]
pub async fn phones_are_masked_except_for_staff_whose_every_full_view_is_audited() {
    let (app, g) = app_with_sms().await;
    let alice = constituent(&app, &g, "13800138012").await;
    let (admin, yaohai, deputy, staff1) = (
        app.login("admin").await,
        app.login("yaohai").await,
        app.login("13955110000").await,
        app.login("staff1").await,
    );
    on_duty(&app, &admin, 1, 1, 1).await;
    let ticket = file(&app, &alice, &station_code(&app, &admin, 1).await, "噪音扰民", None).await;
    let v = app.get(&path(&ticket, ""), &deputy).await;
    assert_eq!(v.expect(200, "").body["phone_masked"], "138****8012");
    app.get(&path(&ticket, "phone"), &deputy).await.expect(403, "forbidden");
    app.get(&path(&ticket, "phone"), &alice).await.expect(403, "forbidden");
    // Station 1 is in 瑶海区 and staff1's station: both see the full number; each read audited.
    for who in [&admin, &staff1] {
        let full = app.get(&path(&ticket, "phone"), who).await;
        assert_eq!(full.expect(200, "").body["phone"], "13800138012");
    }
    let log = app.get(&format!("/api/v1/audit?action=opinion.phone_read&record_id={ticket}"), &admin).await;
    let counted = log.expect(200, "").body["items"].as_array().unwrap().len();
    assert_eq!(counted, 2);
    // Out of 瑶海区's scope would be 404: yaohai does see station 1's case (it is theirs).
    app.get(&path(&ticket, "phone"), &yaohai).await.expect(200, "");
    let staff2 = app.login("staff2").await;
    app.get(&path(&ticket, "phone"), &staff2).await.expect(404, "not_found");
}
