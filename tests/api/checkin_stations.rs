//! A station's side of check-ins: rotating its secret and kiosk keys, the duty roster and no-shows,\nstations near a position, the demo's month, and check-ins under concurrency and retries.

use super::checkins::*;
use crate::helpers::*;
use serde_json::{json, Value};

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
