//! The server as its own process, for the memory figures: `lvzhi serve` (the release binary next
//! to the bench) on the bench's database, data dir and cache, sampled through
//! `/proc/<pid>/status` — idle, under read load, during and after a fan-out to the whole city.
//! The in-process server is stopped first, so the child's workers deliver the pushes alone.

use super::{load, memory, notices};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A running `lvzhi serve` child; killed when dropped.
pub struct Child {
    child: std::process::Child,
    pub addr: SocketAddr,
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Child {
    /// (VmRSS, RssAnon) of the child in MB: all resident pages, and those not backed by a file
    /// (the heap; the rest is the binary's code and mapped files).
    pub fn rss_mb(&self) -> (f64, f64) {
        let pid = self.child.id();
        (
            memory::status_kb(&pid.to_string(), "VmRSS:") as f64 / 1024.0,
            memory::status_kb(&pid.to_string(), "RssAnon:") as f64 / 1024.0,
        )
    }

    /// Samples the RSS every 20 ms until `stop` is set; returns the highest (VmRSS, RssAnon)
    /// seen, in MB.
    fn sampler(&self, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<(f64, f64)> {
        let pid = self.child.id();
        let (rss, anon) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        tokio::spawn(async move {
            loop {
                rss.fetch_max(memory::status_kb(&pid.to_string(), "VmRSS:"), Ordering::Relaxed);
                anon.fetch_max(memory::status_kb(&pid.to_string(), "RssAnon:"), Ordering::Relaxed);
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (rss.load(Ordering::Relaxed) as f64 / 1024.0, anon.load(Ordering::Relaxed) as f64 / 1024.0)
        })
    }
}

/// Settings the bench's servers take from its own environment (tuning knobs to compare runs).
pub fn tuning(var: &str) -> bool {
    var.starts_with("LVZHI_DB_") || var.starts_with("LVZHI_VIEW_") || var.starts_with("LVZHI_PUSH_")
}

/// Starts `lvzhi serve` with the bench's settings on a free port and waits for `/healthz`.
pub async fn spawn(env: &HashMap<&str, String>) -> Result<Child, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("lvzhi");
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let mut cmd = std::process::Command::new(&exe);
    cmd.arg("serve").stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    for (k, _) in std::env::vars() {
        if (k.starts_with("LVZHI_") && !tuning(&k)) || k == "DATABASE_URL" || k == "REDIS_URL" {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.env("LVZHI_BIND", format!("127.0.0.1:{port}")).env_remove("LVZHI_BENCH_HELLO");
    let child = cmd
        .spawn()
        .map_err(|e| format!("{}: {e} (build it beside the bench: cargo build --release --bins)", exe.display()))?;
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().map_err(|e| format!("{e}"))?;
    let child = Child { child, addr };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if http.get(format!("http://{addr}/healthz")).send().await.map(|r| r.status().is_success()).unwrap_or(false) {
            return Ok(child);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("lvzhi serve did not answer /healthz within 120 s".into())
}

/// Memory rows: idle, peak under 64 clients reading inboxes and points, peak during a publish to
/// the city and the delivery of its pushes, and after it.
pub async fn memory(
    state: &lvzhi::state::AppState,
    env: &HashMap<&str, String>,
    admin: &str,
    city: i64,
    deputy_tokens: &[String],
    gateway: &lvzhi::ops::Gateway,
    quick: bool,
) -> Result<Vec<(String, (f64, f64))>, String> {
    let time = if quick { Duration::from_secs(2) } else { Duration::from_secs(5) };
    notices::phones(state).await?;
    let child = spawn(env).await?;
    let addr = child.addr;
    let mut out = vec![("server process: idle after start".to_string(), child.rss_mb())];
    let tokens: Arc<Vec<String>> = Arc::new(deputy_tokens.to_vec());
    let stop = Arc::new(AtomicBool::new(false));
    let peak = child.sampler(stop.clone());
    let mut served = 0;
    for path in ["/api/v1/me/inbox", "/api/v1/me/points", "/api/v1/me/inbox/unread-count"] {
        let t = tokens.clone();
        let make: load::MakeRequest = Arc::new(move |n| load::get(path, Some(&t[n % t.len()])));
        served += load::run_with(addr, make, 64, 100_000, time).await.ok;
    }
    stop.store(true, Ordering::Relaxed);
    let under_load = peak.await.map_err(|e| e.to_string())?;
    out.push((
        format!("server process: peak under load (64 clients, inbox, points and unread count, {served} requests)"),
        under_load,
    ));
    out.push(("server process: after the load".into(), child.rss_mb()));
    let before = gateway.received.load(Ordering::Relaxed);
    let stop = Arc::new(AtomicBool::new(false));
    let peak = child.sampler(stop.clone());
    let (ok, targeted, _) = notices::publish(addr, admin, city, "全市人大代表情况通报（二）").await?;
    if !ok {
        return Err("publish through the server process was refused".into());
    }
    let (got, _) = notices::await_pushes(gateway, before, targeted).await;
    stop.store(true, Ordering::Relaxed);
    let fan_out = peak.await.map_err(|e| e.to_string())?;
    out.push((
        format!("server process: peak during a publish to the city and the delivery of its {got} pushes"),
        fan_out,
    ));
    out.push(("server process: after the fan-out".into(), child.rss_mb()));
    Ok(out)
}

/// The server's environment in a bench run: the database, a temporary data directory, pushes to
/// the in-process fake gateway, Redis when given, limits raised for load.
pub fn environment(
    db_url: &str,
    dir: &std::path::Path,
    gateway_port: u16,
    redis_url: Option<&str>,
) -> Result<std::collections::HashMap<&'static str, String>, String> {
    let mut env: HashMap<&str, String> = HashMap::new();
    env.insert("DATABASE_URL", db_url.to_string());
    env.insert("LVZHI_DATA_DIR", dir.display().to_string());
    env.insert("LVZHI_BIND", "127.0.0.1:0".into());
    env.insert("LVZHI_BENCH_HELLO", "true".into());
    env.insert("LVZHI_WORKERS", "2".into());
    env.insert("LVZHI_LOGIN_RATE_PER_MINUTE", "100000".into());
    // Rankings from the leaderboards (Redis when configured, in-process otherwise) unless
    // `BENCH_RANKINGS` says otherwise (`sql`: the kept tables); twin servers answer the same
    // questions from the tables and by counting the scope.
    env.insert("LVZHI_RANKINGS", std::env::var("BENCH_RANKINGS").unwrap_or_else(|_| "sorted_sets".into()));
    env.insert("LVZHI_PUSH_WEBHOOK_URL", format!("http://127.0.0.1:{}/push", gateway_port));
    env.insert("LVZHI_PUSH_WEBHOOK_SECRET", "bench".into());
    let gw = format!("http://127.0.0.1:{gateway_port}");
    for (k, v) in
        [("LVZHI_JPUSH_APP_KEY", "bench"), ("LVZHI_JPUSH_MASTER_SECRET", "bench"), ("LVZHI_HUAWEI_APP_ID", "bench")]
    {
        env.insert(k, v.into());
    }
    env.insert("LVZHI_HUAWEI_CLIENT_SECRET", "bench".into());
    env.insert("LVZHI_JPUSH_URL", gw.clone());
    env.insert("LVZHI_HUAWEI_URL", gw.clone());
    env.insert("LVZHI_HUAWEI_TOKEN_URL", format!("{gw}/oauth2/v3/token"));
    env.extend(http2_providers(dir, &gw)?);
    env.insert("LVZHI_OUTBOUND_ALLOW", "127.0.0.1".into());
    env.insert("LVZHI_QUIET_HOURS", "off".into());
    if let Some(r) = redis_url {
        env.insert("REDIS_URL", r.to_string());
        env.insert("LVZHI_REDIS_PREFIX", format!("lvzhi-bench:{}:", std::process::id()));
    }
    Ok(env)
}

/// APNs and FCM pointed at the fake gateway `gw`, with keys made for the run (an APNs `.p8` key
/// and an FCM service account) in `dir`.
fn http2_providers(dir: &std::path::Path, gw: &str) -> Result<Vec<(&'static str, String)>, String> {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    use base64::Engine;
    let pem = |der: &[u8]| {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = b64.as_bytes().chunks(64).filter_map(|c| std::str::from_utf8(c).ok()).collect();
        format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"))
    };
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let ec =
        EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).map_err(|e| format!("APNs key: {e}"))?;
    let rsa =
        aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).map_err(|e| format!("FCM key: {e}"))?;
    let der: aws_lc_rs::encoding::Pkcs8V1Der = rsa.as_der().map_err(|e| format!("FCM key: {e}"))?;
    let (p8, sa) = (dir.join("AuthKey.p8"), dir.join("service-account.json"));
    let account = serde_json::json!({"type": "service_account", "project_id": "bench", "client_email": "push@bench.iam.gserviceaccount.com",
                                     "private_key": pem(der.as_ref()), "token_uri": format!("{gw}/token")});
    std::fs::write(&p8, pem(ec.as_ref())).map_err(|e| format!("{}: {e}", p8.display()))?;
    std::fs::write(&sa, account.to_string()).map_err(|e| format!("{}: {e}", sa.display()))?;
    Ok(vec![
        ("LVZHI_APNS_KEY_FILE", p8.display().to_string()),
        ("LVZHI_APNS_KEY_ID", "BENCH12345".into()),
        ("LVZHI_APNS_TEAM_ID", "BENCHTEAM1".into()),
        ("LVZHI_APNS_TOPIC", "cn.gov.npc.lvzhi".into()),
        ("LVZHI_APNS_URL", gw.to_string()),
        ("LVZHI_FCM_SERVICE_ACCOUNT_FILE", sa.display().to_string()),
        ("LVZHI_FCM_URL", gw.to_string()),
    ])
}
