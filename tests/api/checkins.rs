use crate::helpers::*;
use lvzhi::checkins::{issue_qr, Place};
use serde_json::{json, Value};

struct Ctx {
    app: TestApp,
    staff: String,
    deputy: String,
    station: i64,
    pos: (f64, f64),
}

async fn setup() -> Ctx {
    let app = spawn_demo().await;
    let staff = app.login("staff1").await;
    let station = app.get("/api/v1/auth/me", &staff).await.body["station_ids"][0].as_i64().unwrap();
    let s = app.get(&format!("/api/v1/stations/{station}"), &staff).await;
    let pos = (s.body["latitude"].as_f64().unwrap(), s.body["longitude"].as_f64().unwrap());
    let deputy = app.login("13955110000").await;
    Ctx { app, staff, deputy, station, pos }
}

impl Ctx {
    /// Logs staff and deputy in again (after moving the clock past their tokens' 15 minutes).
    async fn relogin(&mut self) {
        self.staff = self.app.login("staff1").await;
        self.deputy = self.app.login("13955110000").await;
    }

    async fn token(&self) -> String {
        let a = self.app.get(&format!("/api/v1/stations/{}/qr", self.station), &self.staff).await;
        a.expect(200, "");
        a.body["token"].as_str().unwrap().to_string()
    }

    fn body(&self, token: &str, pos: (f64, f64)) -> Value {
        json!({"station_id": self.station, "token": token, "latitude": pos.0, "longitude": pos.1, "accuracy_m": 15.0, "coord_system": "wgs84"})
    }

    async fn check_in(&self, who: &str, body: Value) -> Answer {
        self.app.post("/api/v1/checkins", who, body).await
    }

    /// The check-ins whose creation the audit log recorded (their ids).
    fn audited_creations(&self) -> Vec<Option<String>> {
        self.app.raw_strings("SELECT record_id AS v FROM audit_log WHERE action = 'checkin.create' ORDER BY id")
    }

    async fn point_events(&self, deputy: i64) -> Vec<(String, String, i64)> {
        lvzhi::db::run(&self.app.state.db, move |c| lvzhi::ledger::noted_for(c, deputy)).await.unwrap()
    }

    /// A token for the station at another moment, issued with its real secret.
    async fn token_at(&self, unix: i64) -> String {
        let id = self.station;
        let secret =
            lvzhi::db::run(&self.app.state.db, move |c| lvzhi::checkins::existing_qr_secret(c, Place::Station(id)))
                .await
                .unwrap()
                .unwrap();
        issue_qr(&secret, Place::Station(id), unix).0
    }
}

fn far(p: (f64, f64)) -> (f64, f64) {
    (p.0 + 0.02, p.1)
}

#[tokio::test]
async fn qr_and_geofence_pass_is_accepted_and_reported_for_points() {
    let cx = setup().await;
    let t = cx.token().await;
    let a = cx.check_in(&cx.deputy, cx.body(&t, cx.pos)).await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "accepted");
    assert_eq!(a.body["evidence"]["qr_valid"], true);
    assert_eq!(a.body["evidence"]["inside_geofence"], true);
    assert_eq!(a.body["deputy_id"], 1);
    let events = cx.point_events(1).await;
    assert_eq!(events, vec![("station_reception".to_string(), "checkin".to_string(), a.body["id"].as_i64().unwrap())]);
    let mine = cx.app.get("/api/v1/me/checkins", &cx.deputy).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    // A deputy's own check-in is its own record: no audit row (staff-recorded ones have one).
    assert_eq!(cx.audited_creations(), Vec::<Option<String>>::new());
}

#[tokio::test]
async fn gcj02_and_bd09_positions_are_converted_before_measuring() {
    let cx = setup().await;
    let gcj = lvzhi::checkins::geo::wgs84_to_gcj02(cx.pos.0, cx.pos.1);
    assert!(lvzhi::checkins::geo::distance_m(gcj, cx.pos) > 300.0);
    let t = cx.token().await;
    let mut b = cx.body(&t, gcj);
    b["coord_system"] = json!("gcj02");
    let a = cx.check_in(&cx.deputy, b).await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "accepted", "{}", a.text);
    assert!(a.body["evidence"]["distance_m"].as_f64().unwrap() < 5.0);
    // The same GCJ-02 numbers taken as GPS are ~500 m off: QR valid, position not → review.
    let d2 = second_deputy(&cx).await;
    let a = cx.check_in(&d2, cx.body(&t, gcj)).await;
    a.expect(201, "");
    assert_eq!(a.body["status"], "pending_review");
    assert_eq!(a.body["reasons"], json!(["outside_geofence"]));
}

/// Logs in a second deputy (demo deputy #2) through an account the admin creates.
async fn second_deputy(cx: &Ctx) -> String {
    let admin = cx.app.login("admin").await;
    cx.app
        .post(
            "/api/v1/accounts",
            &admin,
            json!({"username": "13955110037", "password": "deputy-two-pw", "role": "deputy", "display_name": "代表二", "deputy_id": 2}),
        )
        .await
        .expect(201, "");
    let a = cx.app.login_raw("13955110037", "deputy-two-pw").await;
    a.body["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn bad_tokens_go_to_review_when_the_position_is_good_and_are_refused_when_it_is_not() {
    let cx = setup().await;
    let good = cx.token().await;
    let now = cx.app.clock.now().timestamp();
    let mut tampered = good.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let cases = [
        (cx.token_at(now - 120).await, "qr_expired"),
        (cx.token_at(now + 600).await, "qr_from_future"),
        (tampered, "qr_invalid"),
        (good.replacen(&format!("s{}.", cx.station), &format!("s{}.", cx.station + 1), 1), "qr_wrong_place"),
        ("nonsense".to_string(), "qr_malformed"),
    ];
    for (i, (tok, code)) in cases.iter().enumerate() {
        // Far away: nothing holds → 422 with both reasons, nothing stored.
        let refused = cx.check_in(&cx.deputy, cx.body(tok, far(cx.pos))).await;
        refused.expect(422, "checkin_refused");
        let codes: Vec<&str> =
            refused.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        // (Jumping 2 km in a second also shows as impossible travel.)
        assert_eq!(codes[..2], [*code, "outside_geofence"], "case {i}");
        // At the station: review with the reason.
        let review = cx.check_in(&cx.deputy, cx.body(tok, cx.pos)).await;
        review.expect(201, "");
        assert_eq!(review.body["status"], "pending_review", "case {i}");
        assert_eq!(review.body["reasons"], json!([code]), "case {i}");
        // Close it so the next case is not "the same place within 10 minutes".
        let id = review.body["id"].as_i64().unwrap();
        cx.app.post(&format!("/api/v1/checkins/{id}/checkout"), &cx.deputy, json!({})).await.expect(200, "");
    }
    assert!(cx.point_events(1).await.is_empty(), "nothing awarded before review");
    // A token of another station, scanned at this one: wrong place even when valid there.
    let other = cx.station + 1;
    let other_tok = cx.app.get(&format!("/api/v1/stations/{other}/qr"), &cx.app.login("admin").await).await.body
        ["token"]
        .as_str()
        .unwrap()
        .to_string();
    let a = cx.check_in(&cx.deputy, cx.body(&other_tok, far(cx.pos))).await;
    assert_eq!(a.body["errors"][0]["code"], "qr_wrong_place");
}

#[tokio::test]
async fn tokens_expire_after_two_windows_and_the_grace() {
    let cx = setup().await;
    let t = cx.token().await;
    cx.app.clock.advance(chrono::Duration::seconds(45));
    let ok = cx.check_in(&cx.deputy, cx.body(&t, far(cx.pos))).await;
    ok.expect(201, "");
    assert_eq!(ok.body["reasons"], json!(["outside_geofence"]));
    cx.app.clock.advance(chrono::Duration::seconds(60));
    let d2 = second_deputy(&cx).await;
    cx.check_in(&d2, cx.body(&t, far(cx.pos))).await.expect(422, "checkin_refused");
}

#[tokio::test]
async fn retries_are_idempotent_and_two_deputies_may_share_a_token() {
    let cx = setup().await;
    let t = cx.token().await;
    let send = |key: &'static str, body: Value| {
        let cx = &cx;
        async move {
            cx.app
                .send(
                    cx.app
                        .req(reqwest::Method::POST, "/api/v1/checkins", Some(&cx.deputy))
                        .header("Idempotency-Key", key)
                        .json(&body),
                )
                .await
        }
    };
    let first = send("phone-1", cx.body(&t, cx.pos)).await;
    first.expect(201, "");
    let again = send("phone-1", cx.body(&t, cx.pos)).await;
    again.expect(201, "");
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    send("phone-1", cx.body(&t, far(cx.pos))).await.expect(422, "idempotency_key_reused");
    // Without a key, the same place within 10 minutes returns the open check-in.
    let repeat = cx.check_in(&cx.deputy, cx.body(&t, cx.pos)).await;
    repeat.expect(200, "");
    assert_eq!(repeat.body["id"], first.body["id"]);
    // Another deputy scanning the same token gets a check-in of their own.
    let d2 = second_deputy(&cx).await;
    let other = cx.check_in(&d2, cx.body(&t, cx.pos)).await;
    other.expect(201, "");
    assert_eq!(other.body["deputy_id"], 2);
    assert_eq!(cx.point_events(1).await.len(), 1);
    assert_eq!(cx.point_events(2).await.len(), 1);
}

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

#[tokio::test]
async fn rotating_the_secret_kills_old_tokens_and_kiosk_keys_work() {
    let cx = setup().await;
    let t = cx.token().await;
    assert_eq!(
        cx.app
            .send(cx.app.req(
                reqwest::Method::POST,
                &format!("/api/v1/stations/{}/qr/rotate", cx.station),
                Some(&cx.staff)
            ))
            .await
            .status,
        204
    );
    let a = cx.check_in(&cx.deputy, cx.body(&t, cx.pos)).await;
    assert_eq!(a.body["reasons"], json!(["qr_invalid"]));
    // Kiosk key: the page and the token endpoint accept it; a wrong key is a 404.
    let k = cx
        .app
        .send(cx.app.req(reqwest::Method::POST, &format!("/api/v1/stations/{}/kiosk-key", cx.station), Some(&cx.staff)))
        .await;
    k.expect(201, "");
    let key = k.body["kiosk_key"].as_str().unwrap().to_string();
    let page = cx.app.send(cx.app.client.get(cx.app.url(&format!("/kiosk/stations/{}?key={key}", cx.station)))).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<svg") && page.text.contains("id=\"token\""));
    let by_key =
        cx.app.send(cx.app.client.get(cx.app.url(&format!("/api/v1/stations/{}/qr?key={key}", cx.station)))).await;
    by_key.expect(200, "");
    cx.app
        .send(cx.app.client.get(cx.app.url(&format!("/kiosk/stations/{}?key=wrong", cx.station))))
        .await
        .expect(404, "not_found");
    cx.app
        .send(cx.app.client.get(cx.app.url(&format!("/api/v1/stations/{}/qr", cx.station))))
        .await
        .expect(401, "unauthorized");
    cx.app.get(&format!("/api/v1/stations/{}/qr", cx.station), &cx.deputy).await.expect(403, "forbidden");
}

#[tokio::test]
async fn roster_public_board_and_no_shows() {
    let mut cx = setup().await;
    // Start at 08:00 in the congress time zone, so the slot and the checks below share a day
    // whatever the time the test runs.
    let local = cx.app.clock.now().with_timezone(&chrono_tz::Asia::Shanghai);
    let eight = chrono::TimeZone::from_local_datetime(
        &chrono_tz::Asia::Shanghai,
        &(local.date_naive() + chrono::Duration::days(1)).and_hms_opt(8, 0, 0).unwrap(),
    )
    .unwrap();
    cx.app.clock.advance(eight.with_timezone(&chrono::Utc) - cx.app.clock.now());
    cx.relogin().await;
    let now = cx.app.clock.now();
    let tomorrow = now + chrono::Duration::days(1);
    let slot = cx
        .app
        .post(
            &format!("/api/v1/stations/{}/slots", cx.station),
            &cx.staff,
            json!({"starts_at": tomorrow.to_rfc3339(), "ends_at": (tomorrow + chrono::Duration::hours(3)).to_rfc3339(), "deputy_ids": [3]}),
        )
        .await;
    slot.expect(201, "");
    let board =
        cx.app.send(cx.app.client.get(cx.app.url(&format!("/api/v1/public/stations/{}/duty", cx.station)))).await;
    board.expect(200, "");
    assert_eq!(board.body["week"][0]["deputies"][0]["deputy_id"], 3);
    assert!(board.body["week"][0]["deputies"][0].get("phone").is_none());
    let sid = slot.body["id"].as_i64().unwrap();
    assert_eq!(
        cx.app
            .send(cx.app.req(reqwest::Method::POST, &format!("/api/v1/slots/{sid}/signup"), Some(&cx.deputy)))
            .await
            .status,
        204
    );
    cx.app
        .post(
            &format!("/api/v1/stations/{}/slots", cx.station),
            &cx.deputy,
            json!({"starts_at": tomorrow.to_rfc3339(), "ends_at": tomorrow.to_rfc3339()}),
        )
        .await
        .expect(422, "validation_failed");
    // Deputy 1 checks in during the slot; deputy 3 never comes.
    cx.app.clock.advance(chrono::Duration::days(1) + chrono::Duration::minutes(10));
    cx.relogin().await;
    let t = cx.token().await;
    cx.check_in(&cx.deputy, cx.body(&t, cx.pos)).await.expect(201, "");
    cx.app.clock.advance(chrono::Duration::hours(4));
    assert_eq!(lvzhi::checkins::settle_duty(&cx.app.state).await.unwrap(), 1);
    let after =
        cx.app.send(cx.app.client.get(cx.app.url(&format!("/api/v1/public/stations/{}/duty", cx.station)))).await;
    let outcomes: Vec<(i64, String)> = after.body["today"][0]["deputies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["deputy_id"].as_i64().unwrap(), d["outcome"].as_str().unwrap().to_string()))
        .collect();
    assert!(outcomes.contains(&(3, "no_show".into())) && outcomes.contains(&(1, "present".into())), "{outcomes:?}");
    assert_eq!(cx.point_events(3).await, vec![("duty_no_show".to_string(), "duty_slot".to_string(), sid)]);
}

#[tokio::test]
async fn stations_near_a_position() {
    let cx = setup().await;
    let a = cx
        .app
        .send(cx.app.client.get(
            cx.app.url(&format!("/api/v1/public/stations/near?latitude={}&longitude={}&km=3", cx.pos.0, cx.pos.1)),
        ))
        .await;
    a.expect(200, "");
    let items = a.body.as_array().unwrap();
    assert_eq!(items[0]["id"], cx.station);
    assert!(items.windows(2).all(|w| w[0]["distance_m"].as_f64() <= w[1]["distance_m"].as_f64()));
    cx.app
        .send(cx.app.client.get(cx.app.url("/api/v1/public/stations/near?latitude=95&longitude=1")))
        .await
        .expect(422, "validation_failed");
}

#[tokio::test]
async fn the_demo_has_a_roster_events_and_a_month_of_checkins() {
    let app = spawn_app().await;
    lvzhi::demo::seed(&app.state).await.unwrap();
    let board = app.send(app.client.get(app.url("/api/v1/public/stations/1/duty"))).await;
    board.expect(200, "");
    assert_eq!(board.body["week"].as_array().unwrap().len(), 7);
    let deputy = app.login("13955110000").await;
    let mine = app.get("/api/v1/me/checkins", &deputy).await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 4);
    assert!(mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["status"] == "accepted" && c["duration_minutes"] == 150));
    // Those check-ins are already points in the ledger.
    let points = app.get("/api/v1/me/points", &deputy).await;
    let from_checkins =
        points.body["entries"].as_array().unwrap().iter().filter(|e| e["source_kind"] == "checkin").count();
    let year = points.body["year"].as_i64().unwrap().to_string();
    let this_year = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["checked_in_at"].as_str().unwrap().starts_with(&year))
        .count();
    assert_eq!(from_checkins, this_year);
    let path = lvzhi::demo::kiosk_path(&app.state).await.unwrap();
    let page = app.send(app.client.get(app.url(&path))).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<li>") && !page.text.contains("今日暂无排班代表"), "on-duty deputies are listed");
}

#[tokio::test]
async fn fifty_concurrent_identical_checkins_make_one_record() {
    let cx = setup().await;
    let t = cx.token().await;
    let body = cx.body(&t, cx.pos);
    // The same request fifty times at once, as a phone retrying on a bad network: with a key …
    let keyed = (0..50).map(|_| {
        cx.app.send(
            cx.app
                .req(reqwest::Method::POST, "/api/v1/checkins", Some(&cx.deputy))
                .header("Idempotency-Key", "burst-1")
                .json(&body),
        )
    });
    let answers = futures_util::future::join_all(keyed).await;
    let ids: std::collections::HashSet<i64> = answers.iter().map(|a| a.body["id"].as_i64().unwrap_or(-1)).collect();
    assert_eq!(ids.len(), 1, "one check-in: {:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
    assert!(answers.iter().all(|a| a.status == 201), "every retry gets the first answer");
    assert_eq!(answers.iter().filter(|a| a.headers.get("idempotent-replayed").is_some()).count(), 49);
    // … and without one: one is created, the others find it open.
    let d2 = second_deputy(&cx).await;
    let bare = (0..50).map(|_| cx.check_in(&d2, body.clone()));
    let answers = futures_util::future::join_all(bare).await;
    let seen: Vec<(u16, i64)> =
        answers.iter().map(|a| (a.status.as_u16(), a.body["id"].as_i64().unwrap_or(-1))).collect();
    assert_eq!(answers.iter().filter(|a| a.status == 201).count(), 1, "{seen:?}");
    assert_eq!(answers.iter().filter(|a| a.status == 200).count(), 49);
    let ids: std::collections::HashSet<i64> = answers.iter().map(|a| a.body["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 1);
    for who in [&cx.deputy, &d2] {
        assert_eq!(cx.app.get("/api/v1/me/checkins", who).await.body["items"].as_array().unwrap().len(), 1);
    }
    assert_eq!(cx.point_events(1).await.len(), 1);
    assert_eq!(cx.point_events(2).await.len(), 1);
}

#[tokio::test]
async fn a_retry_after_the_token_expired_gets_the_recorded_answer() {
    let mut cx = setup().await;
    let t = cx.token().await;
    // Far from the station: accepted for review on the QR alone.
    let send = |who: String, body: Value| {
        let app = &cx.app;
        async move {
            app.send(
                app.req(reqwest::Method::POST, "/api/v1/checkins", Some(&who))
                    .header("Idempotency-Key", "late-1")
                    .json(&body),
            )
            .await
        }
    };
    let first = send(cx.deputy.clone(), cx.body(&t, far(cx.pos))).await;
    first.expect(201, "");
    // The answer was lost; the phone retries five minutes later: the token has expired, and
    // alone it would be refused — the recorded check-in is the answer.
    cx.app.clock.advance(chrono::Duration::minutes(5));
    let again = send(cx.deputy.clone(), cx.body(&t, far(cx.pos))).await;
    again.expect(201, "");
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    // Without the key the same stale request is refused, and nothing is stored.
    cx.relogin().await;
    cx.check_in(&cx.deputy, cx.body(&t, far(cx.pos))).await.expect(422, "checkin_refused");
}

#[tokio::test]
async fn tokens_that_once_crashed_the_parser_are_refused_like_any_bad_token() {
    // (Found by `cargo fuzz run qr_token`: an empty token and a multibyte first character.)
    let app = spawn_demo().await;
    let deputy = app.login("13955110000").await;
    for token in ["", "中1.2.3", "s1.9223372036854775807.x"] {
        let body = serde_json::json!({"station_id": 1, "token": token, "latitude": 0.0, "longitude": 0.0, "accuracy_m": 10, "coord_system": "wgs84"});
        let a = app.post("/api/v1/checkins", &deputy, body).await;
        assert_eq!(a.status, 422, "{token:?}: {}", a.text);
    }
}
