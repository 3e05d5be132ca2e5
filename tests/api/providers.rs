//! Push providers against the local fake: APNs, FCM, JPush and Huawei each in their own
//! dialect, and the faults every gateway has (500 forever, 429 with Retry-After, timeouts,
//! answers that are not JSON).

use crate::fake_gateway;
use crate::helpers::*;
use aws_lc_rs::encoding::AsDer;
use base64::Engine;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"))
}

pub async fn device(app: &TestApp, deputy: i64, provider: &str, token: &str) {
    let (p, t, now) = (provider.to_string(), token.to_string(), app.state.now());
    lvzhi::db::tx(&app.state.db, move |c| {
        let d = lvzhi::push::seeding::NewDevice {
            deputy,
            account: 0,
            platform: "android",
            provider: &p,
            token: &t,
            app_version: None,
        };
        lvzhi::push::seeding::upsert_device(c, &d, now)
    })
    .await
    .unwrap();
}

fn jwt_part(jwt: &str, i: usize) -> Value {
    let part = jwt.split('.').nth(i).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// A demo app with every provider configured against one fake gateway, `extra` on top (they win).
pub async fn providers_app(extra: &[(&str, &str)]) -> (TestApp, fake_gateway::Gateway) {
    let (g, base) = fake_gateway::start_all().await;
    let dir = tempfile::tempdir().unwrap();
    let ec = aws_lc_rs::signature::EcdsaKeyPair::generate_pkcs8(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &aws_lc_rs::rand::SystemRandom::new(),
    )
    .unwrap();
    let apns_key = dir.path().join("AuthKey.p8");
    std::fs::write(&apns_key, pem(ec.as_ref())).unwrap();
    let rsa = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let der: aws_lc_rs::encoding::Pkcs8V1Der = rsa.as_der().unwrap();
    let account = json!({"type": "service_account", "project_id": "lvzhi-test", "client_email": "push@lvzhi-test.iam.gserviceaccount.com",
                         "private_key": pem(der.as_ref()), "token_uri": format!("{base}/token")});
    let sa = dir.path().join("service-account.json");
    std::fs::write(&sa, account.to_string()).unwrap();
    let (apns_key, sa, hw_token) =
        (apns_key.display().to_string(), sa.display().to_string(), format!("{base}/oauth2/v3/token"));
    let hook = format!("{base}/push");
    let mut env: Vec<(&str, &str)> = vec![
        ("LVZHI_OUTBOUND_ALLOW", "127.0.0.1"),
        ("LVZHI_QUIET_HOURS", "off"),
        ("LVZHI_APNS_KEY_FILE", &apns_key),
        ("LVZHI_APNS_KEY_ID", "ABC123DEFG"),
        ("LVZHI_APNS_TEAM_ID", "TEAM123456"),
        ("LVZHI_APNS_TOPIC", "cn.gov.npc.lvzhi"),
        ("LVZHI_APNS_URL", &base),
        ("LVZHI_FCM_SERVICE_ACCOUNT_FILE", &sa),
        ("LVZHI_FCM_URL", &base),
        ("LVZHI_JPUSH_APP_KEY", "jpkey"),
        ("LVZHI_JPUSH_MASTER_SECRET", "jpsecret"),
        ("LVZHI_JPUSH_URL", &base),
        ("LVZHI_HUAWEI_APP_ID", "10086"),
        ("LVZHI_HUAWEI_CLIENT_SECRET", "hwsecret"),
        ("LVZHI_HUAWEI_URL", &base),
        ("LVZHI_HUAWEI_TOKEN_URL", &hw_token),
        ("LVZHI_PUSH_WEBHOOK_URL", &hook),
        ("LVZHI_PUSH_WEBHOOK_SECRET", fake_gateway::SECRET),
    ];
    env.extend_from_slice(extra);
    let app = spawn_demo_with(&env).await;
    // (The key files live as long as the test process.)
    std::mem::forget(dir);
    (app, g)
}

#[tokio::test]
async fn apns_fcm_jpush_and_huawei_each_deliver_in_their_dialect_and_report_dead_tokens() {
    // One push a request here (the batches: `push_scale`).
    let (app, g) = providers_app(&[("LVZHI_JPUSH_BATCH", "1"), ("LVZHI_HUAWEI_BATCH", "1")]).await;
    let admin = app.login("admin").await;
    device(&app, 1, "apns", "ok-apns").await;
    device(&app, 2, "fcm", "ok-fcm").await;
    device(&app, 3, "jpush", "flaky-jp").await;
    device(&app, 4, "huawei", "ok-hw").await;
    for (p, t) in [("apns", "gone-apns"), ("fcm", "gone-fcm"), ("jpush", "gone-jp"), ("huawei", "gone-hw")] {
        device(&app, 5, p, t).await;
    }
    let n = app
        .post(
            "/api/v1/notices",
            &admin,
            json!({"kind": "meeting", "title": "紧急会议通知", "body": "…", "priority": "urgent", "audience": {"deputies": [1, 2, 3, 4, 5]}, "publish": true}),
        )
        .await;
    n.expect(201, "");
    let id = n.body["id"].as_i64().unwrap();
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 8);
    // APNs: an ES256 provider token naming the key and team; topic, priority, ids from the dedup id.
    let a = &g.for_token("ok-apns")[0];
    let jwt = a.auth.strip_prefix("Bearer ").unwrap();
    assert_eq!(
        (jwt_part(jwt, 0)["alg"].as_str(), jwt_part(jwt, 0)["kid"].as_str()),
        (Some("ES256"), Some("ABC123DEFG"))
    );
    assert_eq!(jwt_part(jwt, 1)["iss"], "TEAM123456");
    assert_eq!(
        (a.headers["apns-topic"].as_str(), a.headers["apns-priority"].as_str(), a.headers["apns-push-type"].as_str()),
        ("cn.gov.npc.lvzhi", "10", "alert")
    );
    assert!(a.dedup_id.starts_with(&format!("lvzhi-n{id}-d")) && uuid::Uuid::parse_str(&a.headers["apns-id"]).is_ok());
    assert_eq!(a.body["aps"]["alert"]["body"], "紧急会议通知");
    // FCM: the service-account assertion exchanged once for a token; the dedup id as collapse key.
    let f = &g.for_token("ok-fcm")[0];
    assert_eq!(f.auth, "Bearer fcm-access-1");
    assert!(f.dedup_id.starts_with(&format!("lvzhi-n{id}-d")));
    assert_eq!(f.body["message"]["android"]["priority"], "HIGH");
    // JPush: Basic auth and a cid from the dedup id — the same on the retry after a 500.
    let j = g.for_token("flaky-jp");
    assert_eq!(j[0].auth, format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("jpkey:jpsecret")));
    assert!(j[0].dedup_id.starts_with("jpkey-"));
    // Huawei: client-credentials token, the dedup id as bi_tag.
    let h = &g.for_token("ok-hw")[0];
    assert_eq!(h.auth, "Bearer huawei-access-1");
    assert!(h.dedup_id.starts_with(&format!("lvzhi-n{id}-d")));
    let tokens = g.token_requests.lock().unwrap().clone();
    assert_eq!(tokens.iter().filter(|t| t.0 == "fcm").count(), 1);
    assert!(tokens.iter().any(|t| t.0 == "fcm"
        && t.1.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer")
        && t.1.contains("assertion=")));
    assert!(tokens.iter().any(|t| t.0 == "huawei" && t.1.contains("client_id=10086")));
    // Each provider's dead-token answer disables its device.
    let disabled = app
        .raw_sql("UPDATE devices SET app_version = app_version WHERE token LIKE 'gone-%' AND disabled_at IS NOT NULL")
        .unwrap();
    assert_eq!(disabled, 4);
    // The JPush retry carries the same cid; the OAuth tokens are reused.
    app.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 1);
    let j = g.for_token("flaky-jp");
    assert_eq!((j.len(), j[1].dedup_id.clone()), (2, j[0].dedup_id.clone()));
    assert_eq!(g.token_requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn gateway_faults_are_retried_with_backoff_then_dead_lettered() {
    let (app, g) = fake_gateway::demo_app(&[("LVZHI_PUSH_MAX_ATTEMPTS", "3"), ("LVZHI_PUSH_TIMEOUT_MS", "500")]).await;
    let admin = app.login("admin").await;
    for (d, t) in [(1, "down-1"), (2, "slow-2"), (3, "garbled-3"), (4, "busy-4")] {
        device(&app, d, "webhook", t).await;
    }
    let n = app
        .post("/api/v1/notices", &admin, json!({"kind": "general", "title": "t", "body": "b", "audience": {"deputies": [1, 2, 3, 4]}, "publish": true}))
        .await;
    n.expect(201, "");
    let started = app.state.now();
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 4);
    let row_of = |token: &str| {
        let row: Vec<(Option<String>, chrono::NaiveDateTime, String)> = {
            use diesel::prelude::*;
            use lvzhi::db::schema::{devices as dv, push_outbox as o};
            let mut c = app.state.db.get().unwrap();
            o::table
                .inner_join(dv::table)
                .filter(dv::token.eq(token))
                .select((o::last_error, o::next_at, o::status))
                .load(&mut *c)
                .unwrap()
        };
        row.into_iter().next()
    };
    let err_of = |token: &str| row_of(token).unwrap();
    assert!(err_of("down-1").0.unwrap().starts_with("500"));
    assert_eq!(err_of("slow-2").0.as_deref(), Some("timeout"));
    assert!(err_of("garbled-3").0.unwrap().contains("not JSON"));
    assert!(err_of("busy-4").1 >= started + chrono::Duration::seconds(120), "Retry-After is honoured");
    // Nothing is due until the backoff passes.
    assert_eq!(lvzhi::push::deliver_pushes_once(&app.state).await.unwrap(), 0);
    for _ in 0..2 {
        app.clock.advance(chrono::Duration::minutes(10));
        lvzhi::push::deliver_pushes_once(&app.state).await.unwrap();
    }
    // Sent on its second attempt: it left the outbox.
    assert_eq!((g.for_token("busy-4").len(), row_of("busy-4")), (2, None));
    for t in ["down-1", "slow-2", "garbled-3"] {
        assert_eq!(err_of(t).2, "dead", "{t}");
    }
    let root = app.root_token().await;
    let dead = app.get("/api/v1/push/dead-letters", &root).await;
    assert_eq!(dead.body["items"].as_array().unwrap().len(), 3);
    assert!(dead.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["last_error"].as_str().unwrap().starts_with("gave up after 3 attempts")));
    // Every attempt of one push carried the same dedup id.
    let down = g.for_token("down-1");
    assert_eq!(down.len(), 3);
    assert!(down.iter().all(|r| r.dedup_id == down[0].dedup_id));
}

#[tokio::test]
async fn two_delivery_workers_never_send_the_same_push() {
    let (app, g) = fake_gateway::demo_app(&[]).await;
    let admin = app.login("admin").await;
    for i in 0..600 {
        device(&app, i % 20 + 1, "webhook", &format!("lag-{i}")).await;
    }
    let deputies: Vec<i64> = (1..=20).collect();
    app.post(
        "/api/v1/notices",
        &admin,
        json!({"kind": "general", "title": "t", "body": "b", "audience": {"deputies": deputies}, "publish": true}),
    )
    .await
    .expect(201, "");
    // Two workers at once (as two instances would), until nothing is left.
    loop {
        let (a, b) =
            tokio::join!(lvzhi::push::deliver_pushes_once(&app.state), lvzhi::push::deliver_pushes_once(&app.state));
        if a.unwrap() + b.unwrap() == 0 {
            break;
        }
    }
    let got = g.received();
    let ids: std::collections::HashSet<&str> = got.iter().map(|r| r.dedup_id.as_str()).collect();
    assert_eq!((got.len(), ids.len()), (600, 600), "each push sent once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_devices_never_hold_back_another_notices_pushes() {
    // The worker runs as in production; slow-* devices answer after 3 s (within the timeout).
    let (app, g) = fake_gateway::demo_app(&[]).await;
    let admin = app.login("admin").await;
    for i in 0..20 {
        device(&app, 2, "webhook", &format!("slow-2-{i}")).await;
    }
    for i in 0..5 {
        device(&app, 3, "webhook", &format!("ok-3-{i}")).await;
    }
    let notice = |title: &str, d: i64| json!({"kind": "general", "title": title, "body": "…", "audience": {"deputies": [d]}, "publish": true});
    app.post("/api/v1/notices", &admin, notice("慢设备", 2)).await.expect(201, "");
    // Wait until the slow sends are under way, then publish to the healthy devices.
    let deadline = Instant::now() + Duration::from_secs(10);
    while g.received().iter().filter(|r| r.token.starts_with("slow-2-")).count() < 20 {
        assert!(Instant::now() < deadline, "the slow sends did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let published = Instant::now();
    app.post("/api/v1/notices", &admin, notice("急件", 3)).await.expect(201, "");
    while g.received().iter().filter(|r| r.token.starts_with("ok-3-")).count() < 5 {
        assert!(Instant::now() < deadline + Duration::from_secs(10), "the healthy devices were never reached");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Reached while the slow devices have still not answered (3 s after their sends began).
    // (An answered push is settled: sent ones leave the outbox, others count an attempt.)
    let slow_unanswered = app.raw_strings(
        "SELECT CAST(COUNT(*) AS TEXT) AS v FROM push_outbox o JOIN devices d ON d.id = o.device_id WHERE d.token LIKE 'slow-2-%' AND o.status = 'pending' AND o.attempts = 0",
    );
    assert_eq!(
        slow_unanswered[0].as_deref(),
        Some("20"),
        "the healthy devices waited {:?}, until the slow ones answered",
        published.elapsed()
    );
}
