//! Sign-in and session edges: wrong passwords slow one name from one address (never the owner
//! elsewhere, and alike for names that do not exist), usernames are one regardless of case, and a
//! retried refresh is replayed, never answered with a third token.

use crate::helpers::*;
use serde_json::json;

async fn refresh(app: &TestApp, token: &str) -> Answer {
    app.send(app.client.post(app.url("/api/v1/auth/refresh")).json(&json!({"refresh_token": token}))).await
}

async fn login_from(app: &TestApp, ip: &str, username: &str, password: &str) -> Answer {
    app.send(
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("X-Forwarded-For", ip)
            .json(&json!({"username": username, "password": password})),
    )
    .await
}

#[tokio::test]
async fn five_failures_slow_that_name_from_that_address_alone() {
    // Behind one trusted proxy: the address is the header's rightmost entry.
    let app = spawn_demo_with(&[("LVZHI_TRUST_PROXY_HOPS", "1")]).await;
    let attacker = "6.6.6.6, 203.0.113.66";
    for _ in 0..5 {
        login_from(&app, attacker, "staff1", "wrong-password").await.expect(401, "invalid_credentials");
        login_from(&app, attacker, "nobody", "wrong-password").await.expect(401, "invalid_credentials");
    }
    // The sixth try from that address waits, right password or not, and a name that does not
    // exist answers exactly the same.
    let slowed = login_from(&app, attacker, "staff1", PASSWORD).await;
    slowed.expect(429, "rate_limited");
    let unknown = login_from(&app, attacker, "nobody", PASSWORD).await;
    unknown.expect(429, "rate_limited");
    assert_eq!(slowed.body, unknown.body);
    // Forging the leftmost entry changes nothing; the same name in other case is the same name.
    login_from(&app, "198.51.100.1, 203.0.113.66", "STAFF1", PASSWORD).await.expect(429, "rate_limited");
    // The owner, from elsewhere, is never locked out.
    login_from(&app, "203.0.113.7", "staff1", PASSWORD).await.expect(200, "");
    // The window ends.
    app.clock.advance(chrono::Duration::minutes(16));
    login_from(&app, attacker, "staff1", PASSWORD).await.expect(200, "");
    // Failures and waits were audited with the proxy's view of the address.
    let root = app.root_token().await;
    let audit = app.get("/api/v1/audit?action=auth.login&limit=200", &root).await;
    let items = audit.body["items"].as_array().unwrap();
    let outcomes: Vec<&str> = items.iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "failure").count(), 10);
    assert_eq!(outcomes.iter().filter(|o| **o == "throttled").count(), 3);
    assert!(items.iter().filter(|e| e["outcome"] == "failure").all(|e| e["client_ip"] == "203.0.113.66"), "{items:?}");
}

#[tokio::test]
async fn usernames_are_one_regardless_of_case() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let made = json!({"username": "Clerk.Li", "password": "clerk-pw-123", "role": "admin", "display_name": "李", "region_id": app.region_id(&admin, "340102").await});
    app.post("/api/v1/accounts", &admin, made.clone()).await.expect(201, "");
    let mut again = made.clone();
    again["username"] = json!("CLERK.LI");
    app.post("/api/v1/accounts", &admin, again).await.expect(409, "already_exists");
    app.login_raw("clerk.li", "clerk-pw-123").await.expect(200, "");
    app.post(
        "/api/v1/accounts",
        &admin,
        json!({"username": "ADMIN", "password": "x-admin-pw-1", "role": "admin", "display_name": "x", "region_id": app.region_id(&admin, "340102").await}),
    )
    .await
    .expect(409, "already_exists");
}

#[tokio::test]
async fn a_lost_refresh_answer_is_replayed_never_a_third_token() {
    let app = spawn_demo().await;
    let r1 = app.login_raw("admin", PASSWORD).await.body["refresh_token"].as_str().unwrap().to_string();
    let lost = refresh(&app, &r1).await;
    lost.expect(200, "");
    // The phone never saw `lost`; it retries with r1 within the grace period and gets the very
    // same answer (tokens included): no third token exists.
    let retry = refresh(&app, &r1).await;
    retry.expect(200, "");
    assert_eq!(retry.body, lost.body);
    let tokens = app.raw_strings("SELECT CAST(COUNT(*) AS TEXT) AS v FROM refresh_tokens");
    assert_eq!(tokens[0].as_deref(), Some("2"));
    let r2 = retry.body["refresh_token"].as_str().unwrap().to_string();
    let r3 = refresh(&app, &r2).await;
    r3.expect(200, "");
    // Once r2 is in use, r1 is no longer a retry: it revokes the family (a second presenter).
    assert_eq!(
        app.raw_strings("SELECT CAST(COUNT(*) AS TEXT) AS v FROM refresh_tokens WHERE replay IS NOT NULL")[0]
            .as_deref(),
        Some("1")
    );
    refresh(&app, &r1).await.expect(401, "refresh_token_reused");
    refresh(&app, r3.body["refresh_token"].as_str().unwrap()).await.expect(401, "invalid_refresh_token");
    // The kept answers are gone with the family, and none was stored in the clear.
    assert_eq!(
        app.raw_strings("SELECT CAST(COUNT(*) AS TEXT) AS v FROM refresh_tokens WHERE replay IS NOT NULL")[0]
            .as_deref(),
        Some("0")
    );
}

#[tokio::test]
async fn a_late_retry_of_a_refresh_revokes_the_family() {
    let app = spawn_demo().await;
    let r1 = app.login_raw("admin", PASSWORD).await.body["refresh_token"].as_str().unwrap().to_string();
    let first = refresh(&app, &r1).await;
    first.expect(200, "");
    let access = first.body["access_token"].as_str().unwrap().to_string();
    // Past the grace window the same token is a second presenter: the session ends.
    app.clock.advance(chrono::Duration::seconds(30));
    refresh(&app, &r1).await.expect(401, "refresh_token_reused");
    app.get("/api/v1/auth/me", &access).await.expect(401, "unauthorized");
}
