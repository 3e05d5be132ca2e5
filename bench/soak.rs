//! `lvzhi-bench soak`: mixed load for `BENCH_SOAK_SECS` (default 600) against a server on
//! PostgreSQL (`BENCH_DATABASE_URL`, a fresh database) and a Redis of the soak's own
//! (`redis-server` on a free port), with a Redis restart (empty) at 40 % of the time and a
//! database stall of 20 s (a relay that lets nothing pass) at 60 %. It reports the answers by
//! status and code, the longest request, and every acknowledged award lost or doubled (zero
//! expected); it fails when one is, or when anything answered 500.

use super::relay::Relay;
use super::setup::{drop_pg, fresh_pg, login};
use lvzhi::config::Settings;
use lvzhi::platform::Clock;
use lvzhi::startup::{build_state, Application};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;

/// A Redis of the soak's own: started, killed and started again (empty) on the same port.
struct OwnRedis {
    port: u16,
    child: Option<std::process::Child>,
}

impl OwnRedis {
    fn start(port: u16) -> Result<OwnRedis, String> {
        let mut r = OwnRedis { port, child: None };
        r.up()?;
        Ok(r)
    }
    fn up(&mut self) -> Result<(), String> {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("redis-server: {e} (the soak needs Redis's server binary)"))?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if Instant::now() > deadline {
                return Err("redis-server did not listen within 10 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }
    fn down(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.down();
    }
}

#[derive(Default)]
struct Tally {
    /// "201", "503 database_unavailable", "transport" … → count.
    answers: BTreeMap<String, usize>,
    longest: Duration,
    /// Award sources the server acknowledged (200 or 201).
    acknowledged: Vec<String>,
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).map_err(|e| e.to_string())
}

pub async fn run() -> Result<bool, String> {
    let secs: u64 = std::env::var("BENCH_SOAK_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let base = std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or("the soak needs BENCH_DATABASE_URL (PostgreSQL)")?;
    let (db_url, name) = fresh_pg(&base)?;
    let out = soak(&db_url, Duration::from_secs(secs)).await;
    drop_pg(&base, &name);
    out
}

async fn soak(db_url: &str, length: Duration) -> Result<bool, String> {
    let u = url::Url::parse(db_url).map_err(|e| e.to_string())?;
    let relay = Relay::start(format!("{}:{}", u.host_str().unwrap_or("127.0.0.1"), u.port().unwrap_or(5432))).await?;
    let mut via = u.clone();
    via.set_host(Some("127.0.0.1")).map_err(|e| e.to_string())?;
    via.set_port(Some(relay.addr.port())).map_err(|_| "port")?;
    let mut redis = OwnRedis::start(free_port()?)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let env: HashMap<&str, String> = [
        ("DATABASE_URL", via.to_string()),
        ("REDIS_URL", format!("redis://127.0.0.1:{}", redis.port)),
        ("LVZHI_DATA_DIR", dir.path().display().to_string()),
        ("LVZHI_BIND", "127.0.0.1:0".into()),
        ("LVZHI_DB_WAIT_MS", "2000".into()),
        ("LVZHI_DB_STATEMENT_MS", "5000".into()),
        ("LVZHI_LOGIN_RATE_PER_MINUTE", "100000".into()),
    ]
    .into_iter()
    .collect();
    let settings = Settings::from_lookup(&move |k| env.get(k).cloned()).map_err(|e| e.to_string())?;
    let state = build_state(settings, Clock::system()).await?;
    lvzhi::demo::seed_directory(&state).await.map_err(|e| e.to_string())?;
    let app = Application::start(state)?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let (admin, deputy) = (login(&base, "admin").await?, login(&base, "13955110000").await?);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut clients = vec![];
    for n in 0..CLIENTS {
        let (base, admin, deputy, tally) = (base.clone(), admin.clone(), deputy.clone(), tally.clone());
        clients.push(tokio::spawn(async move {
            let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().map_err(|e| e.to_string())?;
            let mut i = 0u64;
            while started.elapsed() < length {
                i += 1;
                let source = format!("soak-{n}-{i}");
                let req = match i % 4 {
                    0 => http.post(format!("{base}/api/v1/ledger/awards")).bearer_auth(&admin).json(&serde_json::json!({
                        "deputy_id": 1 + (i % 20) as i64, "rule_code": "suggestion_filed", "source_kind": "soak", "source_id": source})),
                    1 => http.get(format!("{base}/api/v1/me/inbox?limit=20")).bearer_auth(&deputy),
                    2 => http.get(format!("{base}/api/v1/rankings?limit=10")).bearer_auth(&admin),
                    _ => http.get(format!("{base}/api/v1/deputies?limit=20")).bearer_auth(&admin),
                };
                let t = Instant::now();
                let answer = match req.send().await {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let body: serde_json::Value = r.json().await.unwrap_or_default();
                        match body["code"].as_str() {
                            Some(code) if status >= 400 => format!("{status} {code}"),
                            _ => status.to_string(),
                        }
                    }
                    Err(_) => "transport".to_string(),
                };
                let took = t.elapsed();
                let mut t = tally.lock().map_err(|_| "tally poisoned")?;
                if i.is_multiple_of(4) && (answer == "200" || answer == "201") {
                    t.acknowledged.push(source);
                }
                *t.answers.entry(answer).or_default() += 1;
                t.longest = t.longest.max(took);
            }
            Ok::<(), String>(())
        }));
    }
    // The faults, in the middle of the load.
    tokio::time::sleep(length.mul_f64(0.4)).await;
    eprintln!("soak: restarting Redis (empty) at {:.0} s", started.elapsed().as_secs_f64());
    redis.down();
    tokio::time::sleep(Duration::from_secs(2)).await;
    redis.up()?;
    tokio::time::sleep(length.mul_f64(0.2)).await;
    eprintln!("soak: stalling the database for 20 s at {:.0} s", started.elapsed().as_secs_f64());
    relay.freeze();
    tokio::time::sleep(Duration::from_secs(20)).await;
    relay.thaw();
    for c in clients {
        c.await.map_err(|e| e.to_string())??;
    }
    handle.stop(true).await;
    // Every acknowledged award is in the ledger exactly once (read straight from the database).
    let t = std::mem::take(&mut *tally.lock().map_err(|_| "tally poisoned")?);
    let entries: HashMap<String, i64> = {
        use diesel::prelude::*;
        use lvzhi::db::schema::ledger_entries as e;
        let mut c = diesel::PgConnection::establish(db_url).map_err(|e| e.to_string())?;
        e::table
            .filter(e::source_kind.eq("soak"))
            .group_by(e::source_id)
            .select((e::source_id, diesel::dsl::count_star()))
            .load::<(String, i64)>(&mut c)
            .map_err(|e| e.to_string())?
            .into_iter()
            .collect()
    };
    let lost = t.acknowledged.iter().filter(|s| !entries.contains_key(*s)).count();
    let doubled = entries.values().filter(|n| **n > 1).count();
    let total: usize = t.answers.values().sum();
    println!("\n## Soak: {:.0} s of mixed load, {CLIENTS} clients, a Redis restart at 40 % and a 20 s database stall at 60 %\n", length.as_secs_f64());
    println!("| answer | requests |\n|---|---:|");
    for (k, v) in &t.answers {
        println!("| {k} | {v} |");
    }
    println!(
        "\nrequests: {total}; longest: {:.2} s; awards acknowledged: {}; lost: {lost}; doubled: {doubled}",
        t.longest.as_secs_f64(),
        t.acknowledged.len()
    );
    let errors =
        t.answers.iter().filter(|(k, _)| k.starts_with('5') && !k.starts_with("503 ")).map(|(_, v)| v).sum::<usize>();
    Ok(lost == 0 && doubled == 0 && errors == 0)
}
