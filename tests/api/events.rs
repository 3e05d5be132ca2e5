use crate::helpers::*;
use serde_json::json;

pub(crate) async fn deputy_two(app: &TestApp, admin: &str) -> String {
    app.post(
        "/api/v1/accounts",
        admin,
        json!({"username": "13955110037", "password": "deputy-two-pw", "role": "deputy", "display_name": "代表二", "deputy_id": 2}),
    )
    .await
    .expect(201, "");
    app.login_raw("13955110037", "deputy-two-pw").await.body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn closing_an_event_makes_attendance_final_once() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let city = app.region_id(&admin, "340100").await;
    let start = app.clock.now() + chrono::Duration::hours(1);
    let place = (31.8206, 117.2272);
    let ev = app
        .post(
            "/api/v1/events",
            &admin,
            json!({"kind": "meeting", "title": "市人大常委会第十二次会议", "region_id": city, "venue": "市政务中心", "latitude": place.0, "longitude": place.1,
                   "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(3)).to_rfc3339(), "invitee_ids": [1, 2, 3]}),
        )
        .await;
    ev.expect(201, "");
    let id = ev.body["id"].as_i64().unwrap();
    assert_eq!(ev.body["radius_m"], 300);
    app.post(&format!("/api/v1/events/{id}/leave"), &admin, json!({"deputy_id": 2})).await.expect(200, "");
    app.post(&format!("/api/v1/events/{id}/leave"), &admin, json!({"deputy_id": 77}))
        .await
        .expect(422, "validation_failed");
    app.post(&format!("/api/v1/events/{id}/close"), &admin, json!({})).await.expect(409, "event_not_started");
    // The meeting starts; deputy 1 scans the event's own QR code.
    app.clock.advance(chrono::Duration::minutes(70));
    let admin = app.login("admin").await;
    app.post(&format!("/api/v1/events/{id}/leave"), &admin, json!({"deputy_id": 3})).await.expect(409, "event_started");
    let qr = app.get(&format!("/api/v1/events/{id}/qr"), &admin).await;
    qr.expect(200, "");
    let deputy = app.login("13955110000").await;
    app.get(&format!("/api/v1/events/{id}"), &deputy).await.expect(200, "");
    let a = app
        .post("/api/v1/checkins", &deputy, json!({"event_id": id, "token": qr.body["token"], "latitude": place.0, "longitude": place.1, "accuracy_m": 30}))
        .await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "accepted");
    assert_eq!(a.body["event_id"], id);
    // A station token is not an event token.
    let st = app.get("/api/v1/stations/1/qr", &admin).await.body["token"].as_str().unwrap().to_string();
    let d2 = deputy_two(&app, &admin).await;
    let wrong = app
        .post("/api/v1/checkins", &d2, json!({"event_id": id, "token": st, "latitude": place.0, "longitude": place.1}))
        .await;
    assert_eq!(wrong.body["reasons"], json!(["qr_wrong_place"]));
    let closed = app.post(&format!("/api/v1/events/{id}/close"), &admin, json!({})).await;
    closed.expect(200, "");
    let att: Vec<(i64, String)> = closed.body["invitees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["deputy_id"].as_i64().unwrap(), i["attendance"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(att, vec![(1, "attended".into()), (2, "excused".into()), (3, "absent".into())]);
    app.post(&format!("/api/v1/events/{id}/close"), &admin, json!({})).await.expect(409, "event_closed");
    let events = |d: i64| {
        let app = &app;
        async move { lvzhi::db::run(&app.state.db, move |c| lvzhi::ledger::noted_for(c, d)).await.unwrap() }
    };
    let e1 = events(1).await;
    assert!(
        e1.contains(&("meeting_attended".into(), "event".into(), id))
            && e1.contains(&("event_checkin".into(), "checkin".into(), a.body["id"].as_i64().unwrap()))
    );
    assert_eq!(
        events(2).await.iter().filter(|e| e.1 == "event").collect::<Vec<_>>(),
        vec![&("meeting_excused".to_string(), "event".to_string(), id)]
    );
    assert_eq!(events(3).await, vec![("meeting_absent".to_string(), "event".to_string(), id)]);
    // The ledger counts deputy 2's absence as excused and deputy 3's as unexcused, apart.
    lvzhi::ledger::consume_point_events(&app.state).await.unwrap();
    let year = app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y").to_string();
    app.settle_rankings().await;
    let ranking = app.get(&format!("/api/v1/rankings?year={year}&limit=200"), &admin).await;
    let row = |d: i64| ranking.body["top"].as_array().unwrap().iter().find(|r| r["deputy_id"] == d).cloned().unwrap();
    assert_eq!((row(2)["excused_absences"].as_i64(), row(2)["unexcused_absences"].as_i64()), (Some(1), Some(0)));
    assert_eq!((row(3)["excused_absences"].as_i64(), row(3)["unexcused_absences"].as_i64()), (Some(0), Some(1)));
    assert_eq!(row(3)["points"], -10);
    assert!(row(1)["rank"].as_i64() < row(3)["rank"].as_i64());
    // Not invited: the event is not there.
    let staff2 = app.login("staff2").await;
    app.get(&format!("/api/v1/events/{id}"), &staff2).await.expect(404, "not_found");
    app.post(
        "/api/v1/events",
        &admin,
        json!({"kind": "party", "title": "", "region_id": city, "starts_at": start.to_rfc3339(), "ends_at": start.to_rfc3339()}),
    )
    .await
    .expect(422, "validation_failed");
}

#[tokio::test]
async fn activity_records_feed_statistics_and_the_archive() {
    let app = spawn_demo().await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let ci = app.post("/api/v1/checkins", &staff, json!({"station_id": station, "deputy_id": 1})).await;
    ci.expect(201, "");
    let id = ci.body["id"].as_i64().unwrap();
    let deputy = app.login("13955110000").await;
    let rec = app
        .post("/api/v1/activity-records", &deputy, json!({"checkin_id": id, "constituents_received": 12, "opinions_collected": 5, "summary": "接待群众12人次，收集停车难等意见5条", "photo_urls": ["https://img.example/1.jpg"]}))
        .await;
    rec.expect(201, "");
    assert_eq!(rec.body["station_id"], station);
    let admin = app.login("admin").await;
    let d2 = deputy_two(&app, &admin).await;
    app.post(
        "/api/v1/activity-records",
        &d2,
        json!({"checkin_id": id, "constituents_received": 1, "opinions_collected": 0, "summary": "x"}),
    )
    .await
    .expect(404, "not_found");
    app.post(
        "/api/v1/activity-records",
        &deputy,
        json!({"checkin_id": id, "constituents_received": -1, "opinions_collected": 0, "summary": ""}),
    )
    .await
    .expect(422, "validation_failed");
    let mine = app.get("/api/v1/me/activity-records", &deputy).await;
    assert_eq!(mine.body["items"][0]["constituents_received"], 12);
    let stats = app.get(&format!("/api/v1/stations/{station}/stats"), &staff).await;
    assert_eq!(stats.body["constituents_received"], 12);
    assert_eq!(stats.body["opinions_collected"], 5);
}
