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
async fn an_opinion_left_at_a_station_is_answered_forwarded_replied_to_and_rated() {
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
async fn phones_are_masked_except_for_staff_whose_every_full_view_is_audited() {
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

#[tokio::test]
async fn deadlines_count_working_days_on_the_calendar_and_overdue_units_are_reminded() {
    let (app, g) = app_with_sms().await;
    let alice = constituent(&app, &g, "13800138013").await;
    let (admin, unit) = (app.login("admin").await, app.login("unit2").await);
    // Tomorrow and the day after are holidays in the calendar (whatever weekday today is).
    let tz = chrono_tz::Asia::Shanghai;
    let today = app.clock.now().with_timezone(&tz).date_naive();
    let root = app.root_token().await;
    for d in 1..=2 {
        let day = today + chrono::Duration::days(d);
        let put = app
            .send(
                app.req(reqwest::Method::PUT, &format!("/api/v1/calendar/{day}"), Some(&root))
                    .json(&json!({"working": false, "name": "测试假日"})),
            )
            .await;
        put.expect(200, "");
    }
    app.send(
        app.req(reqwest::Method::PUT, &format!("/api/v1/calendar/{today}"), Some(&admin))
            .json(&json!({"working": false, "name": "x"})),
    )
    .await
    .expect(403, "forbidden");
    let cal = app.get(&format!("/api/v1/calendar?year={}", chrono::Datelike::year(&today)), &admin).await;
    assert!(cal.body.as_array().unwrap().len() >= 2);
    let ticket = file(&app, &alice, &station_code(&app, &admin, 1).await, "公交站牌缺失", None).await;
    app.post(&path(&ticket, "accept"), &admin, json!({})).await.expect(200, "");
    app.post(&path(&ticket, "forward"), &admin, json!({"unit_id": 99})).await.expect(422, "validation_failed");
    app.post(&path(&ticket, "forward"), &admin, json!({"unit_id": 2, "working_days": 0}))
        .await
        .expect(422, "validation_failed");
    let f = app.post(&path(&ticket, "forward"), &admin, json!({"unit_id": 2, "working_days": 1})).await;
    f.expect(200, "");
    // One working day after today, skipping the two holidays and any weekend.
    let mut expect = today + chrono::Duration::days(3);
    while matches!(chrono::Datelike::weekday(&expect), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        expect += chrono::Duration::days(1);
    }
    let due: chrono::DateTime<chrono::Utc> = f.body["due_at"].as_str().unwrap().parse().unwrap();
    assert_eq!((due - chrono::Duration::seconds(1)).with_timezone(&tz).date_naive(), expect);
    // The unit asks for more time; staff refuse without a reason → 422, then approve.
    app.post(&path(&ticket, "extension"), &unit, json!({"working_days": 2, "reason": ""}))
        .await
        .expect(422, "validation_failed");
    app.post(&path(&ticket, "extension"), &unit, json!({"working_days": 2, "reason": "需现场勘查"}))
        .await
        .expect(200, "");
    app.post(&path(&ticket, "extension"), &unit, json!({"working_days": 2, "reason": "again"}))
        .await
        .expect(409, "extension_pending");
    app.post(&path(&ticket, "extension/decision"), &admin, json!({"approve": false}))
        .await
        .expect(422, "validation_failed");
    let ok = app.post(&path(&ticket, "extension/decision"), &admin, json!({"approve": true})).await;
    let later: chrono::DateTime<chrono::Utc> = ok.expect(200, "").body["due_at"].as_str().unwrap().parse().unwrap();
    assert!(later > due);
    app.post(&path(&ticket, "extension/decision"), &admin, json!({"approve": true}))
        .await
        .expect(409, "no_extension_pending");
    // Past the deadline: a red light, listed, and the unit texted once a day.
    app.clock.advance(chrono::Duration::days(14));
    let (admin, unit) = (app.login("admin").await, app.login("unit2").await);
    let overdue = app.get("/api/v1/opinions?overdue=true", &admin).await;
    let items = overdue.body["items"].as_array().unwrap();
    assert!(items.iter().any(|o| o["ticket"] == ticket.as_str() && o["overdue"] == true));
    assert_eq!(lvzhi::reception::remind_overdue_cases(&app.state).await.unwrap(), 1);
    assert_eq!(lvzhi::reception::remind_overdue_cases(&app.state).await.unwrap(), 0, "once a day");
    let sent = texts(&app, &g, "0551-63500002", 2).await;
    assert!(sent.iter().any(|t| t.contains("超过答复期限") && t.contains(&ticket)), "{sent:?}");
    // The unit's view marks it too; the staff statistics count it.
    let v = app.get(&path(&ticket, ""), &unit).await;
    assert_eq!(v.body["overdue"], true);
    let stats = app.get("/api/v1/opinions/stats?by=unit", &admin).await;
    stats.expect(200, "");
    let line = stats.body.as_array().unwrap().iter().find(|l| l["key"] == "2").cloned().unwrap();
    assert_eq!((line["overdue"].as_i64(), line["forwarded"].as_i64()), (Some(1), Some(1)));
}

#[tokio::test]
async fn an_unsatisfied_rating_reopens_the_case_once_escalated() {
    let (app, g) = app_with_sms().await;
    let alice = constituent(&app, &g, "13800138014").await;
    let (admin, deputy) = (app.login("admin").await, app.login("13955110000").await);
    on_duty(&app, &admin, 1, 1, 1).await;
    let ticket = file(&app, &alice, &station_code(&app, &admin, 1).await, "垃圾清运不及时", None).await;
    let round = |n: u32| {
        let (app, deputy, alice, ticket) = (&app, &deputy, &alice, &ticket);
        async move {
            app.post(&path(ticket, "answer"), deputy, json!({"body": format!("第{n}次答复")})).await.expect(200, "");
            app.post(&path(ticket, "close"), deputy, json!({"note": "已办结"})).await.expect(200, "");
            let r = app
                .post(
                    &format!("/api/v1/me/opinions/{ticket}/rate"),
                    alice,
                    json!({"satisfaction": "unsatisfied", "result_score": 1, "attitude_score": 3, "comment": "还是没人来"}),
                )
                .await;
            r.expect(200, "");
            r.body.clone()
        }
    };
    let first = round(1).await;
    assert_eq!(
        (first["status"].as_str(), first["round"].as_i64(), first["escalated"].as_bool()),
        (Some("reopened"), Some(2), Some(true))
    );
    let escalated = app.get("/api/v1/opinions?escalated=true", &admin).await;
    assert_eq!(escalated.body["items"][0]["ticket"], ticket.as_str());
    let second = round(2).await;
    assert_eq!((second["status"].as_str(), second["satisfaction"].as_str()), (Some("rated"), Some("unsatisfied")));
    // Two answers, one case: the points were earned once.
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let points = app.get("/api/v1/me/points", &deputy).await;
    assert_eq!(
        points.body["entries"].as_array().unwrap().iter().filter(|e| e["rule_code"] == "opinion_answered").count(),
        1
    );
}

#[tokio::test]
async fn duplicates_nearby_are_shown_to_staff_merged_or_followed() {
    let (app, g) = app_with_sms().await;
    let (alice, bob, carol) = (
        constituent(&app, &g, "13800138015").await,
        constituent(&app, &g, "13800138016").await,
        constituent(&app, &g, "13800138017").await,
    );
    let admin = app.login("admin").await;
    let station = station_code(&app, &admin, 1).await;
    let first = file(&app, &alice, &station, "十字路口红绿灯坏了", Some((31.8600, 117.2800))).await;
    let far = file(&app, &alice, &station, "另一处路灯", Some((31.8700, 117.2800))).await; // ~1.1 km away
    let near = file(&app, &bob, &station, "红绿灯不亮", Some((31.8610, 117.2805))).await; // ~120 m away
    let v = app.get(&path(&near, ""), &admin).await;
    let dups: Vec<&str> =
        v.body["duplicates"].as_array().unwrap().iter().map(|d| d["ticket"].as_str().unwrap()).collect();
    assert_eq!(dups, vec![first.as_str()]);
    assert!(v.body["duplicates"][0]["distance_m"].as_f64().unwrap() < 200.0);
    assert!(!dups.contains(&far.as_str()));
    // Carol finds the case nearby and follows it instead of filing again; from afar she cannot.
    let similar = app
        .get("/api/v1/me/opinions/similar?category=urban_construction&latitude=31.8601&longitude=117.2801", &carol)
        .await;
    let found: Vec<&str> = similar.body.as_array().unwrap().iter().map(|d| d["ticket"].as_str().unwrap()).collect();
    assert_eq!(found.first(), Some(&first.as_str()));
    app.post(&path(&first, "follow"), &carol, json!({"latitude": 31.90, "longitude": 117.28}))
        .await
        .expect(404, "not_found");
    let fv = app.post(&path(&first, "follow"), &carol, json!({"latitude": 31.8601, "longitude": 117.2801})).await;
    assert_eq!(
        (fv.expect(200, "").body["access"].as_str(), fv.body["messages"].as_array().map(Vec::len)),
        (Some("follower"), Some(0))
    );
    app.get(&path(&first, "messages"), &carol).await.expect(404, "not_found");
    // Staff merge Bob's duplicate into the first case: Bob now follows it.
    app.post(&path(&near, "merge"), &admin, json!({"into": near})).await.expect(422, "validation_failed");
    let m = app.post(&path(&near, "merge"), &admin, json!({"into": first})).await;
    assert_eq!(m.expect(200, "").body["status"], "merged");
    let bobs = app.get("/api/v1/me/opinions", &bob).await;
    let tickets: Vec<&str> =
        bobs.body["items"].as_array().unwrap().iter().map(|o| o["ticket"].as_str().unwrap()).collect();
    assert!(tickets.contains(&first.as_str()) && tickets.contains(&near.as_str()), "{tickets:?}");
    // Followers hear of changes too.
    let stream = open_stream(&app.url(""), &carol, None).await;
    let live = tokio::spawn(events(stream, 1, Duration::from_secs(10)));
    tokio::time::sleep(Duration::from_millis(200)).await;
    app.post(&path(&first, "accept"), &admin, json!({})).await.expect(200, "");
    let got = live.await.unwrap();
    assert_eq!(
        (got[0].1.as_str(), got[0].2["ticket"].as_str(), got[0].2["status"].as_str()),
        ("opinion_status", Some(first.as_str()), Some("accepted"))
    );
}
