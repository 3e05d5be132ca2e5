use crate::helpers::*;
use lvzhi::checkins::{issue_qr, Place};
use serde_json::{json, Value};

pub struct Ctx {
    pub app: TestApp,
    pub staff: String,
    pub deputy: String,
    pub station: i64,
    pub pos: (f64, f64),
}

pub async fn setup() -> Ctx {
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
    pub async fn relogin(&mut self) {
        self.staff = self.app.login("staff1").await;
        self.deputy = self.app.login("13955110000").await;
    }

    pub async fn token(&self) -> String {
        let a = self.app.get(&format!("/api/v1/stations/{}/qr", self.station), &self.staff).await;
        a.expect(200, "");
        a.body["token"].as_str().unwrap().to_string()
    }

    pub fn body(&self, token: &str, pos: (f64, f64)) -> Value {
        json!({"station_id": self.station, "token": token, "latitude": pos.0, "longitude": pos.1, "accuracy_m": 15.0, "coord_system": "wgs84"})
    }

    pub async fn check_in(&self, who: &str, body: Value) -> Answer {
        self.app.post("/api/v1/checkins", who, body).await
    }

    /// The check-ins whose creation the audit log recorded (their ids).
    pub fn audited_creations(&self) -> Vec<Option<String>> {
        self.app.raw_strings("SELECT record_id AS v FROM audit_log WHERE action = 'checkin.create' ORDER BY id")
    }

    pub async fn point_events(&self, deputy: i64) -> Vec<(String, String, i64)> {
        lvzhi::db::run(&self.app.state.db, move |c| lvzhi::ledger::noted_for(c, deputy)).await.unwrap()
    }

    /// A token for the station at another moment, issued with its real secret.
    pub async fn token_at(&self, unix: i64) -> String {
        let id = self.station;
        let secret =
            lvzhi::db::run(&self.app.state.db, move |c| lvzhi::checkins::existing_qr_secret(c, Place::Station(id)))
                .await
                .unwrap()
                .unwrap();
        issue_qr(&secret, Place::Station(id), unix).0
    }
}

pub fn far(p: (f64, f64)) -> (f64, f64) {
    (p.0 + 0.02, p.1)
}

#[tokio::test]
pub async fn qr_and_geofence_pass_is_accepted_and_reported_for_points() {
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
pub async fn gcj02_and_bd09_positions_are_converted_before_measuring() {
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
pub async fn second_deputy(cx: &Ctx) -> String {
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
pub async fn bad_tokens_go_to_review_when_the_position_is_good_and_are_refused_when_it_is_not() {
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
pub async fn tokens_expire_after_two_windows_and_the_grace() {
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
pub async fn retries_are_idempotent_and_two_deputies_may_share_a_token() {
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
