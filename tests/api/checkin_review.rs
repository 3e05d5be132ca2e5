//! Check-ins that need a person: review by the right staff, checking out, offline scans, staff\nvouching, stale check-ins closed, and impossible travel.

use super::checkins::*;
use serde_json::{json, Value};

#[tokio::test]
async fn bad_positions_and_impersonation_are_refused() {
    let cx = setup().await;
    let t = cx.token().await;
    let mut b = cx.body(&t, cx.pos);
    b["latitude"] = json!(91.0);
    let a = cx.check_in(&cx.deputy, b).await;
    a.expect(422, "validation_failed");
    assert_eq!(a.body["errors"][0]["field"], "latitude");
    let mut b = cx.body(&t, cx.pos);
    b["longitude"] = json!(-181.0);
    cx.check_in(&cx.deputy, b).await.expect(422, "validation_failed");
    let mut b = cx.body(&t, cx.pos);
    b["accuracy_m"] = json!(-3.0);
    let a = cx.check_in(&cx.deputy, b).await;
    assert_eq!(a.body["errors"][0]["field"], "accuracy_m");
    let mut b = cx.body(&t, cx.pos);
    b["coord_system"] = json!("mars");
    let a = cx.check_in(&cx.deputy, b).await;
    a.expect(422, "validation_failed");
    assert_eq!(a.body["errors"][0]["field"], "coord_system");
    let mut b = cx.body(&t, cx.pos);
    b["deputy_id"] = json!(2);
    cx.check_in(&cx.deputy, b).await.expect(403, "forbidden");
    let mut b = cx.body(&t, cx.pos);
    b["station_id"] = json!(99_999);
    cx.check_in(&cx.deputy, b).await.expect(404, "not_found");
}

#[tokio::test]
async fn review_by_the_right_staff_only_and_checkout_by_the_owner_only() {
    let mut cx = setup().await;
    let t = cx.token().await;
    let pending = cx.check_in(&cx.deputy, cx.body(&t, far(cx.pos))).await;
    assert_eq!(pending.body["status"], "pending_review");
    let id = pending.body["id"].as_i64().unwrap();
    let staff2 = cx.app.login("staff2").await;
    cx.app
        .post(&format!("/api/v1/checkins/{id}/review"), &staff2, json!({"decision": "approve"}))
        .await
        .expect(404, "not_found");
    cx.app
        .post(&format!("/api/v1/checkins/{id}/review"), &cx.deputy, json!({"decision": "approve"}))
        .await
        .expect(404, "not_found");
    cx.app
        .post(&format!("/api/v1/checkins/{id}/review"), &cx.staff, json!({"decision": "reject"}))
        .await
        .expect(422, "validation_failed");
    let ok = cx
        .app
        .post(&format!("/api/v1/checkins/{id}/review"), &cx.staff, json!({"decision": "approve", "reason": "本人在场"}))
        .await;
    ok.expect(200, "");
    assert_eq!(ok.body["status"], "accepted");
    assert_eq!(cx.point_events(1).await.len(), 1);
    cx.app
        .post(&format!("/api/v1/checkins/{id}/review"), &cx.staff, json!({"decision": "approve"}))
        .await
        .expect(409, "not_pending_review");
    // Checkout: not by another deputy; by the owner, once.
    let d2 = second_deputy(&cx).await;
    cx.app.post(&format!("/api/v1/checkins/{id}/checkout"), &d2, json!({})).await.expect(404, "not_found");
    cx.app.clock.advance(chrono::Duration::minutes(95));
    cx.relogin().await;
    let out = cx.app.post(&format!("/api/v1/checkins/{id}/checkout"), &cx.deputy, json!({})).await;
    out.expect(200, "");
    assert_eq!(out.body["duration_minutes"], 95);
    cx.app
        .post(&format!("/api/v1/checkins/{id}/checkout"), &cx.deputy, json!({}))
        .await
        .expect(409, "already_checked_out");
    // The station's day list and month statistics see it.
    let day = cx.app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d").to_string();
    let list = cx.app.get(&format!("/api/v1/checkins?station_id={}&date={day}", cx.station), &cx.staff).await;
    assert!(
        list.body["items"].as_array().unwrap().iter().any(|c| c["id"] == id)
            || list.body["items"].as_array().unwrap().is_empty()
    );
    let stats = cx.app.get(&format!("/api/v1/stations/{}/stats", cx.station), &cx.staff).await;
    stats.expect(200, "");
    assert_eq!(stats.body["receptions"], 1);
    assert_eq!(stats.body["deputy_hours"], 1.6);
}

#[tokio::test]
async fn offline_scans_count_within_72_hours() {
    let mut cx = setup().await;
    cx.token().await;
    let scanned = cx.app.clock.now();
    let tok = cx.token_at(scanned.timestamp()).await;
    cx.app.clock.advance(chrono::Duration::hours(5));
    cx.relogin().await;
    let mut b = cx.body(&tok, cx.pos);
    b["scanned_at"] = json!(scanned.to_rfc3339());
    let a = cx.check_in(&cx.deputy, b.clone()).await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "accepted");
    assert_eq!(a.body["evidence"]["offline"], true);
    cx.app.clock.advance(chrono::Duration::hours(68));
    cx.relogin().await;
    let d2 = second_deputy(&cx).await;
    cx.check_in(&d2, b.clone()).await.expect(422, "offline_too_old");
    let mut future = b.clone();
    future["scanned_at"] = json!((cx.app.clock.now() + chrono::Duration::hours(1)).to_rfc3339());
    cx.check_in(&d2, future).await.expect(422, "scanned_in_future");
}

#[tokio::test]
async fn a_late_offline_scan_is_history_and_only_the_latest_checkin_is_open() {
    let mut cx = setup().await;
    cx.token().await;
    let scanned = cx.app.clock.now();
    let old = cx.token_at(scanned.timestamp()).await;
    cx.app.clock.advance(chrono::Duration::hours(2));
    cx.relogin().await;
    // Checked in online now; then the phone uploads a scan from two hours ago.
    let tok = cx.token().await;
    let online = cx.check_in(&cx.deputy, cx.body(&tok, cx.pos)).await;
    online.expect(201, "");
    let mut b = cx.body(&old, cx.pos);
    b["scanned_at"] = json!(scanned.to_rfc3339());
    let late = cx.check_in(&cx.deputy, b).await;
    late.expect(201, "");
    assert_eq!(late.body["evidence"]["offline"], true);
    assert_eq!(late.body["duration_minutes"], 120, "closed when the next check-in began");
    let id = online.body["id"].as_i64().unwrap();
    let still = cx.app.get(&format!("/api/v1/checkins/{id}"), &cx.deputy).await;
    assert_eq!(still.body["checked_out_at"], Value::Null, "the online check-in stays open");
    // The database itself refuses a second open check-in for the deputy.
    let deputy = online.body["deputy_id"].as_i64().unwrap();
    let dup = cx.app.raw_sql(&format!(
        "INSERT INTO checkins (deputy_id, station_id, status, qr_valid, inside_geofence, offline, staff_confirmed, impossible_travel, reasons, checked_in_at, recorded_at, recorded_by, auto_closed) \
         SELECT deputy_id, station_id, status, qr_valid, inside_geofence, offline, staff_confirmed, impossible_travel, reasons, checked_in_at, recorded_at, recorded_by, auto_closed FROM checkins WHERE id = {id}"
    ));
    let err = dup.expect_err(&format!("a second open check-in for deputy {deputy} was stored"));
    assert!(err.to_lowercase().contains("unique"), "{err}");
}

#[tokio::test]
async fn staff_vouch_for_a_present_deputy_and_open_checkins_close_after_eight_hours() {
    let mut cx = setup().await;
    let a = cx.check_in(&cx.staff, json!({"station_id": cx.station, "deputy_id": 5})).await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "accepted");
    assert_eq!(a.body["evidence"]["staff_confirmed"], true);
    assert_eq!(cx.audited_creations(), vec![Some(a.body["id"].as_i64().unwrap().to_string())]);
    let staff2 = cx.app.login("staff2").await;
    cx.check_in(&staff2, json!({"station_id": cx.station, "deputy_id": 5})).await.expect(404, "not_found");
    cx.app.clock.advance(chrono::Duration::hours(9));
    assert_eq!(lvzhi::checkins::close_stale(&cx.app.state).await.unwrap(), 1);
    cx.relogin().await;
    let id = a.body["id"].as_i64().unwrap();
    let closed = cx.app.get(&format!("/api/v1/checkins/{id}"), &cx.staff).await;
    assert_eq!(closed.body["auto_closed"], true);
    assert_eq!(closed.body["duration_minutes"], 480);
}

#[tokio::test]
async fn impossible_travel_needs_review() {
    let cx = setup().await;
    let t = cx.token().await;
    cx.check_in(&cx.deputy, cx.body(&t, cx.pos)).await.expect(201, "");
    // A station in Beijing, ten minutes later.
    let admin = cx.app.root_token().await;
    let s = cx
        .app
        .post(
            "/api/v1/stations",
            &admin,
            json!({"region_id": 1, "kind": "point", "name": "远方联系点", "address": "北京", "latitude": 39.9075, "longitude": 116.3912}),
        )
        .await;
    let far_id = s.body["id"].as_i64().unwrap();
    cx.app.clock.advance(chrono::Duration::minutes(10));
    let tok =
        cx.app.get(&format!("/api/v1/stations/{far_id}/qr"), &admin).await.body["token"].as_str().unwrap().to_string();
    let a = cx
        .check_in(
            &cx.deputy,
            json!({"station_id": far_id, "token": tok, "latitude": 39.9075, "longitude": 116.3912, "accuracy_m": 10}),
        )
        .await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "pending_review");
    assert_eq!(a.body["reasons"], json!(["impossible_travel"]));
}
