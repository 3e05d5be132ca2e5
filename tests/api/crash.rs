//! The real binary killed with SIGKILL in the middle of a 10,000-device fan-out: after a
//! restart every device gets the notice, and every resend carries the same dedup id.

use crate::fake_gateway;
use crate::helpers::{fresh_pg, pg_admin_url, PASSWORD};
use diesel::{Connection, RunQueryDsl};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DEVICES: usize = 10_000;

/// Starts `lvzhi serve` with `env`; answers the child (the caller waits for it) and its base URL
/// once it listens.
#[allow(clippy::zombie_processes)]
pub(crate) fn start(env: &[(String, String)], args: &[&str]) -> (Child, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lvzhi"));
    c.env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env("LVZHI_ARGON2_MEMORY_KIB", "256")
        .env("LVZHI_BIND", "127.0.0.1:0");
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::Read;
        let (mut buf, mut chunk) = (String::new(), [0u8; 4096]);
        while let Ok(n) = stdout.read(&mut chunk) {
            if n == 0 {
                break;
            }
            buf.push_str(&String::from_utf8_lossy(&chunk[..n]));
            let _ = tx.send(buf.clone());
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut text = String::new();
    loop {
        if let Some(line) = text.lines().find(|l| l.contains("/docs/")) {
            let url = line.split_whitespace().find(|w| w.starts_with("http")).unwrap();
            return (child, url.trim_end_matches("/docs/").to_string());
        }
        assert!(Instant::now() < deadline, "server did not start: {text}");
        if let Ok(t) = rx.recv_timeout(Duration::from_millis(100)) {
            text = t;
        }
    }
}

fn sql(url: &str, q: &str) {
    lvzhi::db::checkout::init_tls();
    let mut c = lvzhi::db::AnyConnection::establish(url).unwrap();
    // The server may be writing: wait for SQLite's lock as the server itself does.
    if !url.starts_with("postgres") {
        diesel::sql_query("PRAGMA busy_timeout = 10000").execute(&mut c).unwrap();
    }
    diesel::sql_query(q).execute(&mut c).unwrap();
}

/// (dedup id, token) of the notice's pushes to the test's phones (the demo's own five are left
/// out). A sent push leaves the outbox, so they are the dedup ids the pushes must carry, as the
/// outbox writes them.
fn pushes(url: &str, notice: i64) -> Vec<(String, String)> {
    use diesel::prelude::*;
    use lvzhi::db::schema::devices as dv;
    lvzhi::db::checkout::init_tls();
    let mut c = lvzhi::db::AnyConnection::establish(url).unwrap();
    let phones: Vec<(i64, String)> =
        dv::table.filter(dv::token.like("lag-%")).select((dv::id, dv::token)).load(&mut c).unwrap();
    phones.into_iter().map(|(id, token)| (format!("lvzhi-n{notice}-d{id}-r0"), token)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fan_out_killed_midway_reaches_every_device_after_restart_with_the_same_dedup_ids() {
    let (g, gateway) = fake_gateway::start().await;
    let dir = tempfile::tempdir().unwrap();
    let pg = pg_admin_url().map(|base| fresh_pg(&base));
    let db_url = match &pg {
        Some((u, _)) => u.clone(),
        None => format!("sqlite://{}", dir.path().join("crash.db").display()),
    };
    let mut env: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), db_url.clone()),
        ("LVZHI_DATA_DIR".into(), dir.path().display().to_string()),
        ("LVZHI_PUSH_WEBHOOK_URL".into(), gateway),
        ("LVZHI_PUSH_WEBHOOK_SECRET".into(), "s".into()),
        ("LVZHI_OUTBOUND_ALLOW".into(), "127.0.0.1".into()),
        ("LVZHI_QUIET_HOURS".into(), "off".into()),
        ("LVZHI_PUSH_LEASE_SECS".into(), "3".into()),
        ("LVZHI_PUSH_TIMEOUT_MS".into(), "1000".into()),
    ];
    if let Some(r) = std::env::var("TEST_REDIS_URL").ok().filter(|r| !r.is_empty()) {
        env.push(("REDIS_URL".into(), r));
        env.push(("LVZHI_REDIS_PREFIX".into(), format!("lvzhi-crash:{}:", uuid::Uuid::new_v4().simple())));
    }
    let (mut server, base) = start(&env, &["serve", "--demo"]);
    let diesel_url = db_url.trim_start_matches("sqlite://").to_string();
    // 10,000 phones spread over the demo deputies.
    let insert = |from: usize| {
        let rows: Vec<String> = (from..from + 1000)
            .map(|i| format!("((SELECT id FROM deputies ORDER BY id LIMIT 1 OFFSET {}), 0, 'android', 'webhook', 'lag-{i}', '2026-11-25 00:00:00', '2026-11-25 00:00:00')", i % 20))
            .collect();
        sql(&diesel_url, &format!("INSERT INTO devices (deputy_id, account_id, platform, provider, token, created_at, updated_at) VALUES {}", rows.join(",")));
    };
    for from in (0..DEVICES).step_by(1000) {
        insert(from);
    }
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let admin = login["access_token"].as_str().unwrap().to_string();
    let regions: Value = http
        .get(format!("{base}/api/v1/regions?limit=200"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let city =
        regions["items"].as_array().unwrap().iter().find(|r| r["level"] == "city").unwrap()["id"].as_i64().unwrap();
    let n: Value = http
        .post(format!("{base}/api/v1/notices"))
        .bearer_auth(&admin)
        .json(&json!({"kind": "meeting", "title": "全市人大代表会议通知", "body": "…", "audience": {"regions": [city]}, "publish": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let notice = n["id"].as_i64().unwrap();
    let queued = pushes(&diesel_url, notice);
    assert_eq!(queued.len(), DEVICES);
    // Kill it once a few hundred pushes went out.
    let deadline = Instant::now() + Duration::from_secs(60);
    while g.received().len() < 300 {
        assert!(Instant::now() < deadline, "delivery did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(Command::new("kill").args(["-KILL", &server.id().to_string()]).status().unwrap().success());
    server.wait().unwrap();
    let at_kill = g.received().len();
    assert!(at_kill < DEVICES, "the kill came mid-fan-out ({at_kill})");
    // Restart (no demo seeding): the rest go out, claimed rows once their lease ends.
    let (mut again, _) = start(&env, &["serve"]);
    let want: HashMap<String, String> = queued.into_iter().map(|(dedup, token)| (token, dedup)).collect();
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let tokens: HashSet<String> = g.received().into_iter().map(|r| r.token).collect();
        if want.keys().all(|t| tokens.contains(t)) {
            break;
        }
        assert!(Instant::now() < deadline, "only {} of {DEVICES} devices reached", tokens.len());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let received: Vec<_> = g.received().into_iter().filter(|r| r.token.starts_with("lag-")).collect();
    for r in &received {
        assert_eq!(Some(&r.dedup_id), want.get(&r.token), "a resend carries the push's own dedup id");
    }
    let _ = Command::new("kill").args(["-TERM", &again.id().to_string()]).status();
    let _ = again.wait();
    eprintln!(
        "fan-out: {at_kill} delivered before SIGKILL, {} deliveries in all for {DEVICES} devices",
        received.len()
    );
    // Answers are recorded as they come: only what was in flight (64 sends) or answered in the
    // last moment before the kill (at most 64 unrecorded answers) goes a second time.
    let again_sent = received.len() - DEVICES;
    assert!(again_sent <= 128, "{again_sent} pushes went twice: more than were in flight at the kill");
    if let Some((_, name)) = pg {
        crate::helpers::drop_pg(&name);
    }
}
