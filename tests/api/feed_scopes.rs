//! Third parties' read scopes, each bound to the client's region — `ledger:read`,
//! `suggestions:read`, `opinions:read` — and client management: a secret rotated with an
//! overlap, disabling and enabling.

use crate::feed::county_deputy;
use crate::feed_receiver::client;
use crate::helpers::*;
use crate::opinion_cases::{file, station_code};
use crate::reception::{app_with_sms, constituent};
use serde_json::json;

#[tokio::test]
async fn read_scopes_open_their_records_inside_the_clients_region_only() {
    let (app, g) = app_with_sms().await;
    let admin = app.login("admin").await;
    let (_, ledger) = client(&app, &admin, "ledger-reader", "340102", &["ledger:read"]).await;
    let (_, sugg) = client(&app, &admin, "suggestion-reader", "340102", &["suggestions:read"]).await;
    let (_, ops) = client(&app, &admin, "opinion-reader", "340102", &["opinions:read"]).await;
    let (_, dir) = client(&app, &admin, "directory-reader", "340102", &["directory:read"]).await;
    let (x, y) = (county_deputy(&app, &admin, "340102").await, county_deputy(&app, &admin, "340103").await);
    // ledger:read: statements, archives, rankings — inside the county.
    let s = app.get(&format!("/api/v1/deputies/{x}/points"), &ledger).await;
    assert_eq!(s.expect(200, "").body["deputy_id"], x);
    app.get(&format!("/api/v1/deputies/{y}/points"), &ledger).await.expect(404, "not_found");
    app.get(&format!("/api/v1/deputies/{x}/archive"), &ledger).await.expect(200, "");
    app.get(&format!("/api/v1/deputies/{y}/archive"), &ledger).await.expect(404, "not_found");
    app.get("/api/v1/rankings", &ledger).await.expect(200, "");
    for path in
        [format!("/api/v1/deputies/{x}/points"), "/api/v1/rankings".into(), format!("/api/v1/deputies/{x}/archive")]
    {
        app.get(&path, &dir).await.expect(403, "insufficient_scope");
    }
    // suggestions:read: the region's suggestions.
    let listed = app.get("/api/v1/suggestions?limit=200", &sugg).await;
    let all = app.get("/api/v1/suggestions?limit=200", &admin).await;
    let n = listed.expect(200, "").body["items"].as_array().unwrap().len();
    assert!(n <= all.body["items"].as_array().unwrap().len());
    app.get("/api/v1/suggestions", &dir).await.expect(403, "insufficient_scope");
    app.get("/api/v1/suggestions", &ledger).await.expect(403, "insufficient_scope");
    // opinions:read: the list, phones masked, no position.
    let alice = constituent(&app, &g, "13800138031").await;
    let code = station_code(&app, &admin, 1).await;
    let b = json!({"station_code": code, "category": "urban_construction", "title": "井盖松动", "content": "小区门口", "latitude": 31.8745, "longitude": 117.3171});
    app.post("/api/v1/opinions", &alice, b).await.expect(201, "");
    file(&app, &alice, &code, "路灯不亮", None).await;
    let seen = app.get("/api/v1/opinions", &ops).await;
    let items = seen.expect(200, "").body["items"].as_array().unwrap().clone();
    assert!(items.len() >= 2, "{}", seen.text);
    assert!(!seen.text.contains("13800138031") && seen.text.contains("138****8031"));
    assert!(items.iter().all(|i| i["latitude"].is_null() && i["longitude"].is_null() && i["ticket"].is_string()));
    app.get("/api/v1/opinions", &dir).await.expect(403, "insufficient_scope");
    let ticket = items[0]["ticket"].as_str().unwrap();
    app.get(&format!("/api/v1/opinions/{ticket}"), &ops).await.expect(403, "forbidden");
    app.get(&format!("/api/v1/opinions/{ticket}/phone"), &ops).await.expect(403, "forbidden");
    // Another county's client sees none of these opinions.
    let (_, other) = client(&app, &admin, "luyang-opinions", "340103", &["opinions:read"]).await;
    let theirs = app.get("/api/v1/opinions", &other).await;
    assert!(!theirs.expect(200, "").text.contains(ticket));
}

async fn token(app: &TestApp, name: &str, secret: &str) -> Answer {
    let form = [("grant_type", "client_credentials"), ("client_id", name), ("client_secret", secret)];
    app.send(app.client.post(app.url("/api/v1/auth/token")).form(&form)).await
}

#[tokio::test]
async fn a_rotated_client_secret_overlaps_and_a_disabled_client_gets_no_token() {
    let app = spawn_demo().await;
    let mut admin = app.login("admin").await;
    let region = app.region_id(&admin, "340102").await;
    let c = app.post("/api/v1/accounts", &admin, json!({"username": "portal", "role": "client", "display_name": "门户", "region_id": region, "scopes": ["feed:read"]})).await;
    let (id, old) = (c.body["id"].as_i64().unwrap(), c.body["client_secret"].as_str().unwrap().to_string());
    let r = app.post(&format!("/api/v1/accounts/{id}/rotate-secret"), &admin, json!({})).await;
    let new = r.expect(200, "").body["client_secret"].as_str().unwrap().to_string();
    assert!(r.body["previous_valid_until"].is_string());
    token(&app, "portal", &new).await.expect(200, "");
    token(&app, "portal", &old).await.expect(200, "");
    app.clock.advance(chrono::Duration::hours(25));
    token(&app, "portal", &old).await.expect(401, "invalid_client");
    token(&app, "portal", &new).await.expect(200, "");
    admin = app.login("admin").await;
    // No overlap: the old one ends at once.
    let r = app.post(&format!("/api/v1/accounts/{id}/rotate-secret"), &admin, json!({"overlap_hours": 0})).await;
    let newest = r.expect(200, "").body["client_secret"].as_str().unwrap().to_string();
    token(&app, "portal", &new).await.expect(401, "invalid_client");
    app.post(&format!("/api/v1/accounts/{id}/rotate-secret"), &admin, json!({"overlap_hours": 500}))
        .await
        .expect(422, "validation_failed");
    app.post("/api/v1/accounts/1/rotate-secret", &admin, json!({})).await.expect(422, "validation_failed");
    // Disabled: no token; enabled: tokens again.
    let d = app.post(&format!("/api/v1/accounts/{id}/disable"), &admin, json!({})).await;
    assert_eq!(d.expect(200, "").body["disabled"], true);
    token(&app, "portal", &newest).await.expect(403, "account_disabled");
    app.post(&format!("/api/v1/accounts/{id}/enable"), &admin, json!({})).await.expect(200, "");
    token(&app, "portal", &newest).await.expect(200, "");
    // Outside the admin's region, or not an admin.
    let yaohai = app.login("yaohai").await;
    app.post("/api/v1/accounts/1/disable", &yaohai, json!({})).await.expect(404, "not_found");
    let staff = app.login("staff1").await;
    app.post(&format!("/api/v1/accounts/{id}/disable"), &staff, json!({})).await.expect(403, "forbidden");
}
