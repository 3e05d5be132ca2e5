use crate::helpers::*;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
pub async fn login_returns_tokens_and_me_works() {
    let app = spawn_demo().await;
    let a = app.login_raw("admin", PASSWORD).await;
    a.expect(200, "");
    assert_eq!(a.body["token_type"], "Bearer");
    assert_eq!(a.body["expires_in"], 900);
    assert!(a.body["refresh_token"].as_str().unwrap().len() >= 40);
    let me = app.get("/api/v1/auth/me", a.body["access_token"].as_str().unwrap()).await;
    me.expect(200, "");
    assert_eq!(me.body["username"], "admin");
    assert_eq!(me.body["role"], "admin");
    assert_eq!(me.body["region"]["code"], "340100");
    // A deputy logs in with their phone number.
    let d = app.login_raw("13955110000", PASSWORD).await;
    d.expect(200, "");
}

#[tokio::test]
pub async fn wrong_password_and_unknown_user_look_the_same() {
    let app = spawn_demo().await;
    app.login_raw("admin", "nope-nope").await.expect(401, "invalid_credentials");
    app.login_raw("nobody", "nope-nope").await.expect(401, "invalid_credentials");
    app.send(app.client.post(app.url("/api/v1/auth/login")).json(&json!({"username": "admin"})))
        .await
        .expect(422, "validation_failed");
}

#[tokio::test]
pub async fn login_is_rate_limited_per_ip() {
    let app = spawn_with(&[("LVZHI_LOGIN_RATE_PER_MINUTE", "3")]).await;
    lvzhi::demo::seed_directory(&app.state).await.unwrap();
    for _ in 0..3 {
        app.login_raw("admin", "x-wrong-x").await.expect(401, "invalid_credentials");
    }
    let limited = app.login_raw("admin", PASSWORD).await;
    limited.expect(429, "rate_limited");
    assert!(limited.headers.get("retry-after").is_some());
    app.clock.advance(chrono::Duration::seconds(61));
    app.login_raw("admin", PASSWORD).await.expect(200, "");
}

pub async fn refresh(app: &TestApp, token: &str) -> Answer {
    app.send(app.client.post(app.url("/api/v1/auth/refresh")).json(&json!({"refresh_token": token}))).await
}

#[tokio::test]
pub async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = spawn_demo().await;
    let first = app.login_raw("admin", PASSWORD).await;
    let r1 = first.body["refresh_token"].as_str().unwrap().to_string();
    let second = refresh(&app, &r1).await;
    second.expect(200, "");
    let r2 = second.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    let third = refresh(&app, &r2).await;
    third.expect(200, "");
    let r3 = third.body["refresh_token"].as_str().unwrap().to_string();
    let access3 = third.body["access_token"].as_str().unwrap().to_string();
    app.get("/api/v1/auth/me", &access3).await.expect(200, "");
    // An old token comes back (a thief): the whole family dies, access tokens included.
    app.clock.advance(chrono::Duration::seconds(30));
    refresh(&app, &r1).await.expect(401, "refresh_token_reused");
    refresh(&app, &r3).await.expect(401, "invalid_refresh_token");
    app.get("/api/v1/auth/me", &access3).await.expect(401, "unauthorized");
    refresh(&app, "not-a-token").await.expect(401, "invalid_refresh_token");
}

#[tokio::test]
pub async fn logout_revokes_refresh_and_access_tokens() {
    let app = spawn_demo().await;
    let a = app.login_raw("staff2", PASSWORD).await;
    let access = a.body["access_token"].as_str().unwrap().to_string();
    let r = a.body["refresh_token"].as_str().unwrap().to_string();
    let out = app.send(app.req(Method::POST, "/api/v1/auth/logout", Some(&access))).await;
    assert_eq!(out.status, 204);
    app.get("/api/v1/auth/me", &access).await.expect(401, "unauthorized");
    refresh(&app, &r).await.expect(401, "invalid_refresh_token");
    // Another session of the same account is unaffected.
    let other = app.login("staff2").await;
    app.get("/api/v1/auth/me", &other).await.expect(200, "");
}

/// Another instance over the same database and bus, with its own list of ended sessions, once
/// it follows the announcements (then it answers from the list, not the database).
pub async fn instance(app: &TestApp) -> TestApp {
    let mut st = app.state.clone();
    st.revocations = lvzhi::auth::Revocations::new(std::time::Duration::from_secs(960));
    st.tokens = Default::default();
    let other = app.sibling(st);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !other.state.revocations.complete() {
        assert!(std::time::Instant::now() < deadline, "the instance never followed the session ends");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    other
}

#[tokio::test]
pub async fn a_logout_ends_the_session_on_every_instance_without_asking_the_database() {
    let app = spawn_demo().await;
    let other = instance(&app).await;
    let access = app.login("staff2").await;
    other.get("/api/v1/auth/me", &access).await.expect(200, "");
    app.send(app.req(Method::POST, "/api/v1/auth/logout", Some(&access))).await.expect(204, "");
    // The announcement reaches the other instance (polled with a deadline: it travels the bus).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while other.get("/api/v1/auth/me", &access).await.status != 401 {
        assert!(std::time::Instant::now() < deadline, "the other instance still accepts an ended session");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // An instance started after the logout loads recent ends from the database before it trusts
    // its list, so it refuses the token too — from the list (it follows the bus, the cache has
    // not failed: the database is not asked).
    let late = instance(&app).await;
    assert!(!late.state.cache.failed_within(late.state.revocations.window()));
    late.get("/api/v1/auth/me", &access).await.expect(401, "unauthorized");
    let live = app.login("staff2").await;
    late.get("/api/v1/auth/me", &live).await.expect(200, "");
}

pub fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

pub fn claims(app: &TestApp, sub: &str) -> Value {
    let now = app.clock.now().timestamp();
    json!({"iss": "lvzhi", "aud": "lvzhi-api", "sub": sub, "iat": now, "exp": now + 600, "jti": "t", "typ": "access", "role": "admin"})
}

#[tokio::test]
pub async fn forged_tokens_are_refused() {
    let app = spawn_demo().await;
    let me = |t: String| {
        let app = &app;
        async move { app.get("/api/v1/auth/me", &t).await.expect(401, "unauthorized").status }
    };
    let kid = app.state.keys.kid.clone();
    let sign = |c: &Value, kid: &str| {
        let mut h = Header::new(Algorithm::EdDSA);
        h.kid = Some(kid.to_string());
        jsonwebtoken::encode(&h, c, &app.state.keys.encoding).unwrap()
    };
    // The genuine article works, so the failures below are about what was changed.
    let good = sign(&claims(&app, "1"), &kid);
    app.get("/api/v1/auth/me", &good).await.expect(200, "");
    // alg none / None / noNE.
    for alg in ["none", "None", "noNE", "NONE"] {
        me(format!("{}.{}.", b64(&json!({"alg": alg, "typ": "JWT", "kid": kid})), b64(&claims(&app, "1")))).await;
    }
    // HS256 signed with the public key as the HMAC secret.
    let x = app.state.keys.jwks["keys"][0]["x"].as_str().unwrap().to_string();
    let mut h = Header::new(Algorithm::HS256);
    h.kid = Some(kid.clone());
    me(jsonwebtoken::encode(&h, &claims(&app, "1"), &EncodingKey::from_secret(x.as_bytes())).unwrap()).await;
    let raw_x = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&x).unwrap();
    me(jsonwebtoken::encode(&h, &claims(&app, "1"), &EncodingKey::from_secret(&raw_x)).unwrap()).await;
    // Unknown kid; a kid carrying a path or SQL.
    me(sign(&claims(&app, "1"), "0000000000000000")).await;
    me(sign(&claims(&app, "1"), "../../../../etc/passwd")).await;
    me(sign(&claims(&app, "1"), "x' OR '1'='1")).await;
    // Not yet valid.
    let mut c = claims(&app, "1");
    c["nbf"] = json!(app.clock.now().timestamp() + 3600);
    me(sign(&c, &kid)).await;
    // A long token is refused by the verifier; one of 1 MB never reaches it: the HTTP layer
    // answers 431 (the header is over its limit) and closes the connection — a client still
    // sending may see the reset first — with nothing buffered beyond the limit.
    me(format!("{}.{}.{}", b64(&json!({"alg": "EdDSA", "kid": kid})), "A".repeat(16 << 10), "B")).await;
    // Wrong audience / issuer.
    let mut c = claims(&app, "1");
    c["aud"] = json!("someone-else");
    me(sign(&c, &kid)).await;
    let mut c = claims(&app, "1");
    c["iss"] = json!("evil");
    me(sign(&c, &kid)).await;
    // Expired, exp missing, exp as a string.
    let mut c = claims(&app, "1");
    c["exp"] = json!(app.clock.now().timestamp() - 1);
    me(sign(&c, &kid)).await;
    let mut c = claims(&app, "1");
    c.as_object_mut().unwrap().remove("exp");
    me(sign(&c, &kid)).await;
    let mut c = claims(&app, "1");
    c["exp"] = json!((app.clock.now().timestamp() + 600).to_string());
    me(sign(&c, &kid)).await;
    // Wrong token type; a refresh token presented as an access token; garbage.
    let mut c = claims(&app, "1");
    c["typ"] = json!("refresh");
    me(sign(&c, &kid)).await;
    let refresh = app.login_raw("admin", PASSWORD).await.body["refresh_token"].as_str().unwrap().to_string();
    me(refresh).await;
    me("a.b.c".into()).await;
    app.send(app.req(Method::GET, "/api/v1/auth/me", None)).await.expect(401, "unauthorized");
    // (On a connection of its own, last: the server closes it.)
    let huge = format!("{}.{}.{}", b64(&json!({"alg": "EdDSA", "kid": kid})), "A".repeat(1 << 20), "B");
    match reqwest::Client::new().get(app.url("/api/v1/auth/me")).bearer_auth(&huge).send().await {
        Ok(r) => assert_eq!(r.status(), 431),
        Err(e) => assert!(e.is_request() || e.is_connect(), "{e}"),
    }
    app.get("/api/v1/auth/me", &good).await.expect(200, "");
}

#[tokio::test]
pub async fn access_tokens_expire_after_fifteen_minutes() {
    let app = spawn_demo().await;
    let t = app.login("admin").await;
    app.clock.advance(chrono::Duration::minutes(14));
    app.get("/api/v1/auth/me", &t).await.expect(200, "");
    app.clock.advance(chrono::Duration::minutes(1));
    app.get("/api/v1/auth/me", &t).await.expect(401, "unauthorized");
}

#[tokio::test]
pub async fn jwks_publishes_the_signing_key() {
    let app = spawn_demo().await;
    let t = app.login("admin").await;
    let header = jsonwebtoken::decode_header(&t).unwrap();
    let jwks = app.send(app.client.get(app.url("/.well-known/jwks.json"))).await;
    jwks.expect(200, "");
    let keys = jwks.body["keys"].as_array().unwrap();
    assert!(keys.iter().any(|k| k["kid"] == header.kid.clone().unwrap() && k["kty"] == "OKP" && k["crv"] == "Ed25519"));
    assert_eq!(header.alg, Algorithm::EdDSA);
}
