//! Set-up for the livelihood-project vote's tests: a round of the demo city with candidates
//! from a deputy, staff and a constituent's opinion, screened to a ballot of three, and its
//! session under way with some of the city's deputies signed in and checked in.

use crate::fake_gateway::Gateway;
use crate::helpers::*;
use crate::reception::constituent;
use serde_json::{json, Value};

pub struct Round {
    pub id: i64,
    pub city: i64,
    pub event: i64,
    pub candidates: Vec<i64>,
    /// Deputies seated in the city: (deputy id, token), the demo deputy first.
    pub deputies: Vec<(i64, String)>,
}

/// Deputies seated in the city itself (not only in a district), by id.
async fn city_deputies(app: &TestApp, admin: &str, city: i64) -> Vec<i64> {
    let page = app.get(&format!("/api/v1/deputies?region_id={city}&limit=200"), admin).await;
    let mut ids: Vec<i64> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["seats"].as_array().unwrap().iter().any(|s| s["region_id"] == city && s["status"] == "active"))
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

/// A deputy's token: an account for them made by `admin` (the demo deputy has one).
pub async fn deputy_token(app: &TestApp, admin: &str, deputy: i64) -> String {
    if deputy == 1 {
        return app.login("13955110000").await;
    }
    let user = format!("1395512{deputy:04}");
    let body = json!({"username": user, "password": "deputy-pw-123", "role": "deputy", "display_name": "代表", "deputy_id": deputy});
    app.post("/api/v1/accounts", admin, body).await.expect(201, "");
    app.login_raw(&user, "deputy-pw-123").await.body["access_token"].as_str().unwrap().to_string()
}

pub async fn check_in(app: &TestApp, admin: &str, event: i64, deputy: &str) {
    let qr = app.get(&format!("/api/v1/events/{event}/qr"), admin).await.body["token"].clone();
    let b = json!({"event_id": event, "token": qr, "latitude": 31.8206, "longitude": 117.2272, "accuracy_m": 20});
    let a = app.post("/api/v1/checkins", deputy, b).await;
    assert_eq!((a.status.as_u16(), a.body["status"].as_str()), (201, Some("accepted")), "{}", a.text);
}

/// The round set up to voting: `n` of the city's deputies with tokens (the first `present`
/// of them checked in to the session).
pub async fn voting(app: &TestApp, g: &Gateway, n: usize, present: usize) -> Round {
    let admin = app.login("admin").await;
    let city = app.get("/api/v1/deputies/1", &admin).await.body["seats"][0]["region_id"].as_i64().unwrap();
    let r = app
        .post(
            "/api/v1/project-rounds",
            &admin,
            json!({"region_id": city, "year": 2027, "title": "2027年市级民生实事项目"}),
        )
        .await;
    r.expect(201, "");
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["status"], "collecting");
    let cands = format!("/api/v1/project-rounds/{id}/candidates");
    let demo = app.login("13955110000").await;
    let proposed = app
        .post(&cands, &demo, json!({"title": "新建社区老年食堂", "description": "在明光路街道新建两处老年助餐点。", "budget_yuan": 3_000_000, "sources": {"suggestions": ["2026-001"]}}))
        .await;
    proposed.expect(201, "");
    app.post(&cands, &admin, json!({"title": "城区道路修缮", "description": "修缮老城区主干道路面。", "location": "老城区", "budget_yuan": 12_000_000}))
        .await
        .expect(201, "");
    // A constituent's opinion of the category, made a candidate by staff.
    let who = constituent(app, g, "13800160001").await;
    let code = app.get("/api/v1/stations/1", &admin).await.body["public_code"].clone();
    let o = app
        .post("/api/v1/opinions", &who, json!({"station_code": code, "category": "livelihood_project", "title": "学校门口建过街天桥", "content": "孩子上学过马路太危险。"}))
        .await;
    let ticket = o.body["ticket"].as_str().unwrap().to_string();
    let made = app.post(&format!("{cands}/from-opinion"), &admin, json!({"ticket": ticket})).await;
    made.expect(201, "");
    let list: Vec<Value> = made.body["candidates"].as_array().unwrap().clone();
    assert_eq!(list.len(), 3);
    assert_eq!(list[2]["sources"]["opinions"][0], ticket.as_str());
    assert_eq!(list[0]["proposed_by_deputy"], 1);
    let candidates: Vec<i64> = list.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    app.post(&format!("/api/v1/project-rounds/{id}/screen"), &admin, json!({})).await.expect(200, "");
    let setup = json!({"candidate_ids": candidates, "adopt_count": 2, "max_approvals": 2, "adoption_rule": "cast"});
    let put = app.req(reqwest::Method::PUT, &format!("/api/v1/project-rounds/{id}/ballot"), Some(&admin)).json(&setup);
    app.send(put).await.expect(200, "");
    // The congress session: an event starting in a minute.
    let start = app.clock.now() + chrono::Duration::minutes(1);
    let ev = app
        .post("/api/v1/events", &admin, json!({"kind": "meeting", "title": "市人民代表大会第五次会议", "region_id": city, "venue": "市政务中心",
            "latitude": 31.8206, "longitude": 117.2272, "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(4)).to_rfc3339()}))
        .await;
    let event = ev.body["id"].as_i64().expect("event");
    app.clock.advance(chrono::Duration::minutes(2));
    let admin = app.login("admin").await;
    let opened = app.post(&format!("/api/v1/project-rounds/{id}/open"), &admin, json!({"event_id": event})).await;
    assert_eq!(opened.expect(200, "").body["status"], "voting");
    let mut deputies = vec![];
    for d in city_deputies(app, &admin, city).await.into_iter().take(n) {
        deputies.push((d, deputy_token(app, &admin, d).await));
    }
    assert_eq!(deputies[0].0, 1);
    for (_, t) in deputies.iter().take(present) {
        check_in(app, &admin, event, t).await;
    }
    Round { id, city, event, candidates, deputies }
}

/// A full ballot: the first `approve` candidates approved, the rest opposed.
pub fn choices(r: &Round, approve: usize) -> Value {
    let m: serde_json::Map<String, Value> = r
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), json!(if i < approve { "approve" } else { "oppose" })))
        .collect();
    json!({ "choices": m })
}
