//! A station's day at its desk: duty, check-ins, bookings with masked phones, walk-ins — for its
//! staff and congress staff in scope only.

use crate::opinion_cases::on_duty;
use crate::reception::{app_with_sms, constituent};
use serde_json::json;

#[tokio::test]
pub async fn the_desk_sees_the_stations_day_in_one_answer() {
    let (app, g) = app_with_sms().await;
    let (staff1, staff2, admin) = (app.login("staff1").await, app.login("staff2").await, app.login("admin").await);
    let station = app.get("/api/v1/auth/me", &staff1).await.body["station_ids"][0].as_i64().unwrap();
    let slot = on_duty(&app, &admin, station, 1, 1).await;
    let person = constituent(&app, &g, "13800146001").await;
    let b = json!({"slot_id": slot, "deputy_id": 1, "mode": "in_person", "topic": "低保办理"});
    app.post("/api/v1/appointments", &person, b).await.expect(201, "");
    let walk = json!({"channel": "phone", "category": "health", "title": "社区医院", "content": "缺少儿科"});
    app.post(&format!("/api/v1/stations/{station}/walk-ins"), &staff1, walk).await.expect(201, "");
    let deputy = app.login("13955110000").await;
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff1).await;
    let token =
        app.get(&format!("/api/v1/stations/{station}/qr"), &staff1).await.body["token"].as_str().unwrap().to_string();
    let ci = json!({"station_id": station, "token": token, "latitude": s.body["latitude"], "longitude": s.body["longitude"], "accuracy_m": 15.0});
    app.post("/api/v1/checkins", &deputy, ci).await.expect(201, "");
    let day = app.get(&format!("/api/v1/stations/{station}/day"), &staff1).await;
    day.expect(200, "");
    assert!(day.body["slots"].as_array().unwrap().iter().any(|x| x["id"] == slot));
    assert_eq!(day.body["checkins"][0]["deputy_id"], 1);
    assert!(day.body["checkins"][0]["checked_out_at"].is_null(), "an open check-in");
    assert_eq!(day.body["bookings"][0]["phone_masked"], "138****6001");
    assert!(!day.text.contains("13800146001"));
    assert_eq!(
        (day.body["walk_ins"][0]["channel"].as_str(), day.body["walk_ins"][0]["status"].as_str()),
        (Some("phone"), Some("accepted"))
    );
    // The bookings over a period; a period backwards is refused.
    let list = app.get(&format!("/api/v1/stations/{station}/bookings"), &staff1).await;
    assert_eq!(list.body[0]["topic"], "低保办理");
    app.get(&format!("/api/v1/stations/{station}/bookings?from=2026-12-10&to=2026-12-01"), &staff1)
        .await
        .expect(422, "validation_failed");
    // Not another station's staff, not a deputy.
    app.get(&format!("/api/v1/stations/{station}/day"), &staff2).await.expect(404, "not_found");
    app.get(&format!("/api/v1/stations/{station}/day"), &deputy).await.expect(403, "forbidden");
    app.get(&format!("/api/v1/stations/{station}/day"), &admin).await.expect(200, "");
}
