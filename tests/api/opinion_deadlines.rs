//! Cases over time: working-day deadlines and reminders, a reopened case, and duplicates nearby.

use super::opinion_cases::*;
use crate::delivery::{events, open_stream};
use crate::reception::{app_with_sms, constituent};
use serde_json::json;
use std::time::Duration;

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
