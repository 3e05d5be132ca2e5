//! Reception appointments: a constituent books a deputy on duty, the deputy confirms or
//! declines, the constituent may cancel; both are reminded before it begins.

use crate::fake_gateway;
use crate::helpers::*;
use crate::opinion_cases::{on_duty, texts};
use crate::reception::constituent;
use serde_json::{json, Value};

#[tokio::test]
async fn constituents_book_receptions_that_deputies_confirm_and_both_are_reminded() {
    let (g, base) = fake_gateway::start_all().await;
    let sms = format!("{base}/sms");
    let app = spawn_demo_with(&[
        ("LVZHI_SMS_URL", &sms),
        ("LVZHI_SMS_SECRET", "s"),
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_VIDEO_ROOM_URL", "https://meeting.example.cn/j/{room}"),
    ])
    .await;
    let alice = constituent(&app, &g, "13800138018").await;
    let (deputy, admin) = (app.login("13955110000").await, app.login("admin").await);
    // A slot of station 1 tomorrow with the demo deputy on duty.
    let sid = on_duty(&app, &admin, 1, 1, 24 * 60).await;
    let starts = app.clock.now() + chrono::Duration::minutes(24 * 60);
    let book = |b: Value| app.post("/api/v1/appointments", &alice, b);
    book(json!({"slot_id": sid, "deputy_id": 1, "mode": "by_phone", "topic": "t"}))
        .await
        .expect(422, "validation_failed");
    book(json!({"slot_id": sid, "deputy_id": 399, "mode": "in_person", "topic": "t"}))
        .await
        .expect(422, "validation_failed");
    app.post(
        "/api/v1/appointments",
        &admin,
        json!({"slot_id": sid, "deputy_id": 1, "mode": "in_person", "topic": "t"}),
    )
    .await
    .expect(403, "forbidden");
    let b = book(json!({"slot_id": sid, "deputy_id": 1, "mode": "online", "topic": "反映小区停车难"})).await;
    b.expect(201, "");
    assert!(b.body["video_url"].as_str().unwrap().starts_with("https://meeting.example.cn/j/lvzhi-"));
    book(json!({"slot_id": sid, "deputy_id": 1, "mode": "in_person", "topic": "again"}))
        .await
        .expect(409, "already_booked");
    let id = b.body["id"].as_i64().unwrap();
    // Only the deputy booked confirms; a decline needs a reason.
    app.post(&format!("/api/v1/appointments/{id}/confirm"), &alice, json!({})).await.expect(403, "forbidden");
    app.post(&format!("/api/v1/appointments/{id}/decline"), &deputy, json!({})).await.expect(422, "validation_failed");
    let c = app.post(&format!("/api/v1/appointments/{id}/confirm"), &deputy, json!({})).await;
    assert_eq!(c.expect(200, "").body["status"], "confirmed");
    app.post(&format!("/api/v1/appointments/{id}/confirm"), &deputy, json!({})).await.expect(409, "illegal_transition");
    assert_eq!(app.get("/api/v1/me/appointments", &deputy).await.body["items"][0]["id"], id);
    // Another booking, cancelled by the constituent; a cancelled one cannot be confirmed.
    let later = on_duty(&app, &admin, 1, 1, 48 * 60).await;
    let other = book(json!({"slot_id": later, "deputy_id": 1, "mode": "in_person", "topic": "再约一次"})).await;
    let oid = other.expect(201, "").body["id"].as_i64().unwrap();
    assert_eq!(other.body["video_url"], Value::Null);
    let x = app.post(&format!("/api/v1/appointments/{oid}/cancel"), &alice, json!({})).await;
    assert_eq!(x.expect(200, "").body["status"], "cancelled");
    app.post(&format!("/api/v1/appointments/{oid}/confirm"), &deputy, json!({}))
        .await
        .expect(409, "illegal_transition");
    app.post(&format!("/api/v1/appointments/{oid}/cancel"), &deputy, json!({})).await.expect(403, "forbidden");
    // Shortly before it begins both are texted, once.
    app.clock.advance(starts - app.clock.now() - chrono::Duration::minutes(30));
    assert_eq!(lvzhi::reception::remind_appointments(&app.state).await.unwrap(), 1);
    assert_eq!(lvzhi::reception::remind_appointments(&app.state).await.unwrap(), 0);
    let to_alice = texts(&app, &g, "13800138018", 2).await;
    assert!(to_alice.iter().any(|t| t.contains("预约的代表接待") && t.contains("meeting.example.cn")), "{to_alice:?}");
    // The deputy's reminder is a notice of their own, in the inbox and pushed to the phone.
    let deputy = app.login("13955110000").await;
    let inbox = app.get("/api/v1/me/inbox", &deputy).await;
    assert!(
        inbox.body["items"].as_array().unwrap().iter().any(|n| n["title"].as_str().unwrap().starts_with("接待提醒")),
        "{}",
        inbox.text
    );
}
