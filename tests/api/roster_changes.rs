//! The duty roster changes: staff edit a slot under If-Match, cancel it with a reason, publish a
//! month; a deputy withdraws a day ahead. Bookings follow, each person texted; deputies added or
//! removed get a notice.

use crate::helpers::*;
use crate::opinion_cases::{on_duty, texts};
use crate::reception::constituent;
use serde_json::json;

/// The demo with texts on at any hour (the tests' clock may stand in the quiet hours).
async fn app_with_sms() -> (TestApp, crate::fake_gateway::Gateway) {
    crate::case_texts::app("off").await
}

async fn book(app: &TestApp, who: &str, slot: i64, deputy: i64) -> i64 {
    let b = json!({"slot_id": slot, "deputy_id": deputy, "mode": "in_person", "topic": "道路维修"});
    app.post("/api/v1/appointments", who, b).await.expect(201, "").body["id"].as_i64().unwrap()
}

async fn status(app: &TestApp, who: &str, id: i64) -> (String, i64) {
    let list = app.get("/api/v1/me/appointments", who).await;
    let a = list.body["items"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    (a["status"].as_str().unwrap().to_string(), a["deputy_id"].as_i64().unwrap())
}

async fn inbox_titles(app: &TestApp, who: &str) -> Vec<String> {
    let inbox = app.get("/api/v1/me/inbox", who).await;
    inbox.body["items"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
pub async fn staff_edit_a_slot_under_if_match_and_bookings_follow() {
    let (app, g) = app_with_sms().await;
    let (admin, staff2, deputy) = (app.login("admin").await, app.login("staff2").await, app.login("13955110000").await);
    let slot = on_duty(&app, &admin, 1, 1, 3 * 24 * 60).await;
    let person = constituent(&app, &g, "13800147001").await;
    let id = book(&app, &person, slot, 1).await;
    let deputy1 = app.get("/api/v1/me/appointments", &deputy).await;
    let aid = deputy1.body["items"][0]["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/appointments/{aid}/confirm"), &deputy, json!({})).await.expect(200, "");
    let one = app.get(&format!("/api/v1/slots/{slot}"), &admin).await;
    let tag = one.expect(200, "").etag();
    assert_eq!(tag, format!("\"slot-{slot}-v1\""));
    app.get(&format!("/api/v1/slots/{slot}"), &staff2).await.expect(404, "not_found");
    let path = format!("/api/v1/slots/{slot}");
    // No If-Match, a stale one, a deputy's removal while they hold a confirmed booking.
    app.patch(&path, &admin, None, json!({"note": "x"})).await.expect(428, "precondition_required");
    app.patch(&path, &admin, Some("\"slot-1-v9\""), json!({"note": "x"})).await.expect(412, "precondition_failed");
    app.patch(&path, &admin, Some(&tag), json!({"deputy_ids": [2]})).await.expect(409, "bookings_held");
    app.patch(&path, &admin, Some(&tag), json!({"deputy_ids": [2], "reassign_to": 1}))
        .await
        .expect(422, "validation_failed");
    // With a replacement: the booking moves to deputy 2 and the person is texted.
    let moved = app.patch(&path, &admin, Some(&tag), json!({"deputy_ids": [2], "reassign_to": 2})).await;
    moved.expect(200, "");
    assert_eq!(moved.etag(), format!("\"slot-{slot}-v2\""));
    assert_eq!(moved.body["deputies"][0]["deputy_id"], 2);
    assert_eq!(status(&app, &person, id).await, ("confirmed".to_string(), 2));
    let t = texts(&app, &g, "13800147001", 2).await;
    assert!(t.iter().any(|b| b.contains("改由")), "{t:?}");
    assert!(inbox_titles(&app, &deputy).await.contains(&"接待安排调整".to_string()));
    app.patch(&path, &admin, Some(&tag), json!({"note": "x"})).await.expect(412, "precondition_failed");
    // A new start moves the booking and texts the new time.
    let later = app.clock.now() + chrono::Duration::days(4);
    let v2 = moved.etag();
    let retimed = app
        .patch(
            &path,
            &admin,
            Some(&v2),
            json!({"starts_at": later.to_rfc3339(), "ends_at": (later + chrono::Duration::hours(2)).to_rfc3339()}),
        )
        .await;
    retimed.expect(200, "");
    let t = texts(&app, &g, "13800147001", 3).await;
    assert!(t.iter().any(|b| b.contains("时间调整为")), "{t:?}");
    let list = app.get("/api/v1/me/appointments", &person).await;
    let starts = list.body["items"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()["starts_at"].clone();
    let starts = chrono::DateTime::parse_from_rfc3339(starts.as_str().unwrap()).unwrap();
    assert_eq!(starts.timestamp(), later.timestamp());
    // A started slot no longer changes.
    app.clock.advance(chrono::Duration::days(4) + chrono::Duration::minutes(5));
    let admin = app.login("admin").await;
    let v3 = app.get(&path, &admin).await.etag();
    app.patch(&path, &admin, Some(&v3), json!({"note": "late"})).await.expect(409, "slot_started");
}

#[tokio::test]
pub async fn a_deputy_withdraws_a_day_ahead_and_staff_cancel_a_slot() {
    let (app, g) = app_with_sms().await;
    let (admin, staff2, deputy) = (app.login("admin").await, app.login("staff2").await, app.login("13955110000").await);
    let soon = on_duty(&app, &admin, 1, 1, 120).await;
    let ahead = on_duty(&app, &admin, 1, 1, 3 * 24 * 60).await;
    let person = constituent(&app, &g, "13800147002").await;
    let id = book(&app, &person, ahead, 1).await;
    app.post(&format!("/api/v1/slots/{soon}/withdraw"), &deputy, json!({})).await.expect(409, "too_late");
    app.post(&format!("/api/v1/slots/{ahead}/withdraw"), &admin, json!({})).await.expect(403, "forbidden");
    app.post(&format!("/api/v1/slots/{ahead}/withdraw"), &deputy, json!({})).await.expect(204, "");
    app.post(&format!("/api/v1/slots/{ahead}/withdraw"), &deputy, json!({})).await.expect(404, "not_found");
    assert_eq!(status(&app, &person, id).await.0, "cancelled_by_station");
    let t = texts(&app, &g, "13800147002", 2).await;
    assert!(t.iter().any(|b| b.contains("已取消")), "{t:?}");
    // Staff cancel the near slot with a reason: it leaves the board and cannot be booked.
    let bookable = on_duty(&app, &admin, 1, 1, 240).await;
    let other = book(&app, &person, bookable, 1).await;
    let cancel = format!("/api/v1/slots/{bookable}/cancel");
    app.post(&cancel, &staff2, json!({"reason": "停电"})).await.expect(404, "not_found");
    app.post(&cancel, &admin, json!({"reason": " "})).await.expect(422, "validation_failed");
    app.post(&cancel, &admin, json!({"reason": "停电"})).await.expect(204, "");
    app.post(&cancel, &admin, json!({"reason": "停电"})).await.expect(409, "slot_cancelled");
    assert_eq!(status(&app, &person, other).await.0, "cancelled_by_station");
    let t = texts(&app, &g, "13800147002", 3).await;
    assert!(t.iter().any(|b| b.contains("停电")), "{t:?}");
    assert!(inbox_titles(&app, &deputy).await.contains(&"接待取消".to_string()));
    let board = app.send(app.client.get(app.url("/api/v1/public/stations/1/duty?days=14"))).await;
    assert!(!board.text.contains(&format!("\"id\":{bookable},")), "a cancelled slot leaves the board");
    let b = json!({"slot_id": bookable, "deputy_id": 1, "mode": "in_person", "topic": "x"});
    app.post("/api/v1/appointments", &person, b).await.expect(422, "validation_failed");
    // A cancelled slot is never settled as a no-show.
    app.clock.advance(chrono::Duration::hours(6));
    lvzhi::checkins::settle_duty(&app.state).await.unwrap();
    let outcome = app.raw_strings(&format!("SELECT outcome AS v FROM duty_assignments WHERE slot_id = {bookable}"));
    assert_eq!(outcome, vec![None]);
}

#[tokio::test]
pub async fn publishing_a_month_tells_each_deputy_their_slots() {
    let (app, _g) = app_with_sms().await;
    let (admin, staff1, deputy) = (app.login("admin").await, app.login("staff1").await, app.login("13955110000").await);
    let station = app.get("/api/v1/auth/me", &staff1).await.body["station_ids"][0].as_i64().unwrap();
    let slot = on_duty(&app, &admin, station, 1, 24 * 60).await;
    let month = app.clock.now() + chrono::Duration::days(1);
    let month = month.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m").to_string();
    let path = format!("/api/v1/stations/{station}/roster/publish");
    app.post(&path, &staff1, json!({"month": "2026-13"})).await.expect(422, "validation_failed");
    app.post(&path, &deputy, json!({"month": month})).await.expect(403, "forbidden");
    let p = app.post(&path, &staff1, json!({"month": month})).await;
    p.expect(200, "");
    assert!(p.body["slots"].as_u64().unwrap() >= 1 && p.body["deputies_notified"].as_u64().unwrap() >= 1);
    assert!(inbox_titles(&app, &deputy).await.contains(&"接待排班".to_string()));
    assert!(app.get(&format!("/api/v1/slots/{slot}"), &staff1).await.expect(200, "").body["version"] == 1);
}
