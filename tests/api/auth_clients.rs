//! Third-party clients: the client-credentials grant with its scopes, and key rotation.

use super::auth::*;
use crate::helpers::*;
use jsonwebtoken::{Algorithm, Header};
use serde_json::json;

#[tokio::test]
async fn client_credentials_carry_scopes() {
    let app = spawn_demo().await;
    let admin = app.login("admin").await;
    let created = app.post("/api/v1/accounts", &admin, json!({"username": "portal", "role": "client", "display_name": "Provincial portal", "region_id": app.region_id(&admin, "340100").await, "scopes": ["directory:read"]})).await;
    created.expect(201, "");
    let secret = created.body["client_secret"].as_str().unwrap().to_string();
    let token = |form: Vec<(&'static str, String)>| {
        let app = &app;
        async move { app.send(app.client.post(app.url("/api/v1/auth/token")).form(&form)).await }
    };
    let ok = token(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", "portal".into()),
        ("client_secret", secret.clone()),
    ])
    .await;
    ok.expect(200, "");
    assert_eq!(ok.body["scope"], "directory:read");
    assert!(ok.body.get("refresh_token").is_none());
    let t = ok.body["access_token"].as_str().unwrap().to_string();
    app.get("/api/v1/deputies?limit=1", &t).await.expect(200, "");
    app.post("/api/v1/groups", &t, json!({"region_id": 2, "name": "x", "term": 17}))
        .await
        .expect(403, "insufficient_scope");
    app.get("/api/v1/audit", &t).await.expect(403, "insufficient_scope");
    // HTTP Basic works too.
    let basic = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .basic_auth("portal", Some(&secret))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await;
    basic.expect(200, "");
    token(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", "portal".into()),
        ("client_secret", secret.clone()),
        ("scope", "directory:write".into()),
    ])
    .await
    .expect(400, "invalid_scope");
    token(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", "portal".into()),
        ("client_secret", "wrong".into()),
    ])
    .await
    .expect(401, "invalid_client");
    token(vec![("grant_type", "password".into()), ("client_id", "portal".into()), ("client_secret", secret.clone())])
        .await
        .expect(400, "unsupported_grant_type");
    // A person cannot use the client grant, and a client cannot use the password login.
    token(vec![
        ("grant_type", "client_credentials".into()),
        ("client_id", "admin".into()),
        ("client_secret", PASSWORD.into()),
    ])
    .await
    .expect(401, "invalid_client");
    app.login_raw("portal", &secret).await.expect(401, "invalid_credentials");
}

#[tokio::test]
async fn tokens_signed_by_a_retired_key_stay_valid_after_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.pem"), dir.path().join("new.pem"));
    lvzhi::auth::generate_keys(&old).unwrap();
    lvzhi::auth::generate_keys(&new).unwrap();
    // Before rotation: the old key signs.
    let before = spawn_with(&[("LVZHI_JWT_KEY_FILE", old.to_str().unwrap())]).await;
    lvzhi::demo::seed_directory(&before.state).await.unwrap();
    let old_kid = before.state.keys.kid.clone();
    let mut h = Header::new(Algorithm::EdDSA);
    h.kid = Some(old_kid.clone());
    let token = jsonwebtoken::encode(&h, &claims(&before, "1"), &before.state.keys.encoding).unwrap();
    // After rotation: the new key signs, the old one still verifies.
    let after = spawn_with(&[
        ("LVZHI_JWT_KEY_FILE", new.to_str().unwrap()),
        ("LVZHI_JWT_PREVIOUS_KEY_FILES", old.to_str().unwrap()),
    ])
    .await;
    lvzhi::demo::seed_directory(&after.state).await.unwrap();
    assert_ne!(after.state.keys.kid, old_kid);
    after.get("/api/v1/auth/me", &token).await.expect(200, "");
    let fresh = after.login("admin").await;
    assert_eq!(jsonwebtoken::decode_header(&fresh).unwrap().kid.unwrap(), after.state.keys.kid);
    let jwks = after.send(after.client.get(after.url("/.well-known/jwks.json"))).await;
    assert_eq!(jwks.body["keys"].as_array().unwrap().len(), 2);
    // Without the old key listed, its tokens are refused.
    let forgot = spawn_with(&[("LVZHI_JWT_KEY_FILE", new.to_str().unwrap())]).await;
    lvzhi::demo::seed_directory(&forgot.state).await.unwrap();
    forgot.get("/api/v1/auth/me", &token).await.expect(401, "unauthorized");
}
