//! `lvzhi-bench`: the load harness. One run starts the release server in-process on 127.0.0.1,
//! measures the ceilings (hello-JSON route of the same binary, raw INSERT / PK SELECT of the
//! configured database, Redis ZINCRBY / ZREVRANK when configured) and the scenarios, and prints
//! a table with each scenario's ratio to its ceiling. Every loop is bounded in count and time.
//!
//! Usage: `cargo run --release --bin lvzhi-bench -- all [--quick]`; `lvzhi-bench get ADDR PATH
//! [CLIENTS]` loads one route of a server already running (see [`against`]); `lvzhi-bench soak`
//! runs mixed load through a Redis restart and a database stall (see [`soak`]).
//! Environment: `BENCH_DATABASE_URL` (postgres://…: a fresh database is created and dropped;
//! default: SQLite in a temp dir), `BENCH_REDIS_URL` (optional), `BENCH_ONLY` (comma-separated
//! scenarios to run — me, lists, checkins, awards, rankings, notices, reception, verify, memory —
//! for profiling one of them; the ceilings and the CSV import always run), `BENCH_SCALE=N` (seed
//! N more deputies with a year of duty first, as `lvzhi seed-scale` does), `BENCH_IMPORT`,
//! `BENCH_LEDGER_ENTRIES`, `BENCH_AWARD_CLIENTS` (default 64).

mod against;
mod ceilings;
mod ledger;
mod load;
mod memory;
mod notices;
mod reception;
mod relay;
mod server;
mod setup;
mod soak;

use lvzhi::config::{DatabaseUrl, Settings};
use lvzhi::platform::Clock;
use lvzhi::startup::{build_state, Application};
use setup::{
    csv_rows, deputy_token, drop_pg, fresh_pg, get_json, issued_deputy_token, login, machine_jiffies, thread_cpu,
};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

pub struct Row {
    pub name: String,
    pub ops: usize,
    pub rate: f64,
    pub p50: Option<f64>,
    pub p99: Option<f64>,
    pub errors: usize,
    pub ceiling: Option<(String, f64)>,
}

struct Budget {
    requests: usize,
    time: Duration,
}

fn budget(quick: bool) -> Budget {
    if quick {
        Budget { requests: 20_000, time: Duration::from_secs(3) }
    } else {
        Budget { requests: 300_000, time: Duration::from_secs(10) }
    }
}

/// Whether `BENCH_ONLY` (if set) names this scenario.
fn wanted(name: &str) -> bool {
    std::env::var("BENCH_ONLY").map(|v| v.split(',').any(|s| s.trim() == name)).unwrap_or(true)
}

pub fn http_row(name: &str, st: &load::Stats, ceiling: Option<(String, f64)>) -> Row {
    Row {
        name: name.into(),
        ops: st.ok,
        rate: st.rate(),
        p50: Some(st.pct(0.5)),
        p99: Some(st.pct(0.99)),
        errors: st.errors,
        ceiling,
    }
}

/// A step timed once (a set-up or a one-request scenario): the p50 column holds its wall time.
pub fn once_row(name: String, ops: usize, secs: f64) -> Row {
    Row { name, ops, rate: ops as f64 / secs.max(1e-9), p50: Some(secs * 1000.0), p99: None, errors: 0, ceiling: None }
}

fn rate_row(name: &str, r: &ceilings::Rate) -> Row {
    Row { name: name.into(), ops: r.ops, rate: r.per_sec(), p50: None, p99: None, errors: r.errors, ceiling: None }
}

fn print(rows: &[Row], header: &str) {
    println!("\n{header}\n");
    println!("| measurement | ops | ops/s | p50 ms | p99 ms | errors | ratio to ceiling |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    let f = |x: Option<f64>| x.map(|v| format!("{v:.2}")).unwrap_or_else(|| "–".into());
    for r in rows {
        let none = if r.name.starts_with("ceiling") { "(ceiling)" } else { "–" };
        let ratio = r
            .ceiling
            .as_ref()
            .map(|(n, c)| format!("{:.3} of {n}", r.rate / c.max(1e-9)))
            .unwrap_or_else(|| none.into());
        println!("| {} | {} | {:.0} | {} | {} | {} | {} |", r.name, r.ops, r.rate, f(r.p50), f(r.p99), r.errors, ratio);
    }
}

async fn run(quick: bool) -> Result<bool, String> {
    let b = budget(quick);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    // BENCH_KEEP_DB=DIR: keep the SQLite database there for a look at its query plans afterwards.
    let keep = std::env::var("BENCH_KEEP_DB").ok().filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    let db_dir = keep.clone().unwrap_or_else(|| dir.path().to_path_buf());
    let pg_base = std::env::var("BENCH_DATABASE_URL").ok().filter(|v| !v.is_empty());
    let pg = match &pg_base {
        Some(base) => Some(fresh_pg(base)?),
        None => None,
    };
    let db_url = match &pg {
        Some((url, _)) => url.clone(),
        None => format!("sqlite://{}", db_dir.join("bench.db").display()),
    };
    let redis_url = std::env::var("BENCH_REDIS_URL").ok().filter(|v| !v.is_empty());
    let mut env: HashMap<&str, String> = HashMap::new();
    env.insert("DATABASE_URL", db_url.clone());
    env.insert("LVZHI_DATA_DIR", dir.path().display().to_string());
    env.insert("LVZHI_BIND", "127.0.0.1:0".into());
    env.insert("LVZHI_BENCH_HELLO", "true".into());
    env.insert("LVZHI_WORKERS", "2".into());
    env.insert("LVZHI_LOGIN_RATE_PER_MINUTE", "100000".into());
    // Rankings from the leaderboards (Redis when configured, in-process otherwise) unless
    // `BENCH_RANKINGS` says otherwise (`sql`: the kept tables); twin servers answer the same
    // questions from the tables and by counting the scope.
    env.insert("LVZHI_RANKINGS", std::env::var("BENCH_RANKINGS").unwrap_or_else(|_| "sorted_sets".into()));
    // Pushes go to a local fake gateway in this process.
    let (gateway, gateway_server) = lvzhi::ops::start_fake_gateway("127.0.0.1:0", Some("bench".into()), false, 1)?;
    let gateway_handle = gateway_server.handle();
    tokio::spawn(gateway_server);
    env.insert("LVZHI_PUSH_WEBHOOK_URL", format!("http://127.0.0.1:{}/push", gateway.port));
    env.insert("LVZHI_PUSH_WEBHOOK_SECRET", "bench".into());
    env.insert("LVZHI_OUTBOUND_ALLOW", "127.0.0.1".into());
    env.insert("LVZHI_QUIET_HOURS", "off".into());
    if let Some(r) = &redis_url {
        env.insert("REDIS_URL", r.clone());
        env.insert("LVZHI_REDIS_PREFIX", format!("lvzhi-bench:{}:", std::process::id()));
    }
    // Tuning knobs (LVZHI_DB_WRITERS, LVZHI_DB_POOL_SIZE, LVZHI_VIEW_CACHE_MIB, …) pass through
    // from the environment.
    let server_env = env.clone();
    let settings = Settings::from_lookup(&move |k| {
        env.get(k).cloned().or_else(|| std::env::var(k).ok().filter(|_| server::tuning(k)))
    })
    .map_err(|e| e.to_string())?;
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite" };
    let state = build_state(settings, Clock::system()).await?;
    let t0 = Instant::now();
    lvzhi::demo::seed(&state).await.map_err(|e| e.to_string())?;
    eprintln!("seeded the demo congress in {:.2} s", t0.elapsed().as_secs_f64());
    // BENCH_SCALE=N: a congress of N more deputies with a year of duty (`lvzhi seed-scale`).
    let scale_n: usize = std::env::var("BENCH_SCALE").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut scale_city = None;
    let mut seeded = None;
    if scale_n > 0 {
        let t0 = Instant::now();
        let s = lvzhi::demo::seed_scale(&state, scale_n, 12).await.map_err(|e| e.detail.to_string())?;
        let secs = t0.elapsed().as_secs_f64();
        eprintln!("seed-scale {scale_n}: {s:?}");
        scale_city = s.cities.first().copied();
        // The demo's admin serves the demo city only; the scale province needs a national one.
        lvzhi::demo::create_admin(&state, "bench-national", lvzhi::demo::PASSWORD, None)
            .await
            .map_err(|e| e.detail.to_string())?;
        let name = format!(
            "set-up: seed-scale of {scale_n} deputies ({} check-ins, {} ledger entries, {} inbox rows)",
            s.checkins, s.entries, s.inbox_rows
        );
        seeded = Some(once_row(name, s.entries, secs));
    }
    let peak = memory::Peak::start();
    let bench_state = state.clone();
    let app = Application::start(state)?;
    let addr: SocketAddr = format!("127.0.0.1:{}", app.port()).parse().map_err(|e| format!("{e}"))?;
    let handle = app.handle();
    let serving = tokio::spawn(app.run_until_stopped());
    let base = format!("http://{addr}");
    let token = login(&base, if scale_n > 0 { "bench-national" } else { "admin" }).await?;
    let conns = 32;
    let mut mem: Vec<(String, f64)> = vec![("idle, after seeding the demo congress".into(), memory::rss_mb())];

    let mut rows: Vec<Row> = seeded.into_iter().collect();
    let hello = load::run(addr, load::get("/bench/hello", None), conns, b.requests, b.time).await;
    let hello_rate = hello.rate();
    rows.push(http_row("ceiling: hello-JSON route (same binary)", &hello, None));
    let url = DatabaseUrl::parse(&db_url)?;
    let writers = if pg.is_some() { 8 } else { 1 };
    let ins = ceilings::insert(&url, writers, b.requests / 4, b.time)?;
    rows.push(rate_row(&format!("ceiling: {backend} single-row INSERT ({writers} writer(s), autocommit)"), &ins));
    let sel = ceilings::select(&url, 2, b.requests, b.time)?;
    rows.push(rate_row(&format!("ceiling: {backend} primary-key SELECT (2 readers)"), &sel));
    ceilings::drop_table(&url);
    if let Some(r) = &redis_url {
        let z = ceilings::redis(r, 8, false, b.requests, b.time).await?;
        rows.push(rate_row("ceiling: Redis ZINCRBY (8 connections, unpipelined)", &z));
        let zr = ceilings::redis(r, 8, true, b.requests, b.time).await?;
        rows.push(rate_row("ceiling: Redis ZREVRANK (8 connections, unpipelined)", &zr));
    }
    let ceiling = |n: &str| Some((n.to_string(), hello_rate));
    if wanted("me") {
        let me = load::run(addr, load::get("/api/v1/auth/me", Some(&token)), conns, b.requests, b.time).await;
        rows.push(http_row("scenario: GET /api/v1/auth/me (JWT + account read)", &me, ceiling("hello")));
    }
    if wanted("lists") {
        let list =
            load::run(addr, load::get("/api/v1/deputies?limit=50", Some(&token)), conns, b.requests / 4, b.time).await;
        rows.push(http_row("scenario: GET /api/v1/deputies?limit=50 (page of 50 with seats)", &list, ceiling("hello")));
        let cursor_page = load::run(
            addr,
            load::get("/api/v1/deputies?limit=50&region_id=3", Some(&token)),
            conns,
            b.requests / 4,
            b.time,
        )
        .await;
        rows.push(http_row(
            "scenario: GET /api/v1/deputies?limit=50&region_id=… (subtree filter)",
            &cursor_page,
            ceiling("hello"),
        ));
    }

    // Bulk import of 10,000 deputies (one request).
    let n =
        std::env::var("BENCH_IMPORT").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick { 2_000 } else { 10_000 });
    let csv = csv_rows(n);
    let t = Instant::now();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/deputies/import"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    let ok = r.status().as_u16() == 201;
    peak.take();
    mem.push((format!("idle, after importing {n} deputies"), memory::rss_mb()));
    rows.push(Row {
        name: format!("scenario: CSV import of {n} deputies (one request, all-or-nothing)"),
        ops: n,
        rate: n as f64 / secs,
        p50: Some(secs * 1000.0),
        p99: None,
        errors: usize::from(!ok),
        ceiling: Some(("INSERT ceiling".into(), ins.per_sec() / 2.0)),
    });

    // Check-ins: every request is another deputy, at one of the 20 stations, with a fresh QR token
    // and the station's position: QR + geofence verification, insert, point event. The deputies'
    // tokens are as this server issued them at login or refresh (in its verified-token cache);
    // BENCH_CHECKIN_TOKENS=foreign makes them tokens it has never seen (issued by another
    // instance: each request pays the Ed25519 signature check).
    let ins_rate = ins.per_sec();
    let deputies = lvzhi::db::run(&bench_state.db, lvzhi::org::count_deputies).await.map_err(|e| e.to_string())?;
    let http = reqwest::Client::new();
    let mut stations = vec![];
    for sid in 1..=20i64 {
        let q = get_json(&http, &format!("{base}/api/v1/stations/{sid}/qr"), &token).await?;
        let s = get_json(&http, &format!("{base}/api/v1/stations/{sid}"), &token).await?;
        stations.push(
            serde_json::json!({"station_id": sid, "token": q["token"], "latitude": s["latitude"], "longitude": s["longitude"], "accuracy_m": 20}).to_string(),
        );
    }
    let foreign = std::env::var("BENCH_CHECKIN_TOKENS").is_ok_and(|v| v == "foreign");
    let mint = if foreign { deputy_token } else { issued_deputy_token };
    let tokens: Vec<String> = (1..=deputies).map(|d| mint(&bench_state, d)).collect::<Result<_, _>>()?;
    let make: load::MakeRequest = std::sync::Arc::new(move |n| {
        load::post_json_keyed(
            "/api/v1/checkins",
            &tokens[n % tokens.len()],
            &format!("bench-{n}"),
            &stations[n % stations.len()],
        )
    });
    let checkin_clients = 64;
    if wanted("checkins") {
        let w = WriterWatch::start(&bench_state);
        let ci = load::run_with(addr, make, checkin_clients, (deputies as usize).min(b.requests), b.time).await;
        w.report(&bench_state, "check-ins", &ci);
        rows.push(http_row(
            &format!(
                "scenario: POST /api/v1/checkins ({checkin_clients} clients, a new deputy each time, tokens {})",
                if foreign { "from another instance" } else { "this server issued" }
            ),
            &ci,
            Some(("INSERT ceiling".into(), ins_rate)),
        ));
        mem.push((format!("peak under load: {checkin_clients} clients checking in"), peak.take()));
        // Book the check-ins' points now, driving the ledger worker's step directly, so that its
        // next round does not land inside the awards measured below; reported as its own row.
        let t = Instant::now();
        let mut booked = 0;
        loop {
            let n = lvzhi::ledger::consume_pending_point_events(&bench_state).await.map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            booked += n;
        }
        let secs = t.elapsed().as_secs_f64();
        rows.push(once_row(
            format!("setup: book the points of the check-ins ({booked} point events → ledger entries, batches of 500)"),
            booked,
            secs,
        ));
    }

    // Ledger: direct awards (hash chain + cap check + balance in one transaction), one source each,
    // spread over every deputy; then the ranking query over the balances they produced.
    let award_make: load::MakeRequest = {
        let token = token.clone();
        let deputies = deputies as usize;
        std::sync::Arc::new(move |n| {
            let body = format!(
                r#"{{"deputy_id":{},"rule_code":"suggestion_filed","source_kind":"suggestion","source_id":"bench-{n}"}}"#,
                n % deputies + 1
            );
            load::post_json("/api/v1/ledger/awards", &token, &body)
        })
    };
    if wanted("awards") {
        let w = WriterWatch::start(&bench_state);
        let award_clients: usize =
            std::env::var("BENCH_AWARD_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(checkin_clients);
        let aw = load::run_with(addr, award_make, award_clients, b.requests / 4, b.time).await;
        w.report(&bench_state, "awards", &aw);
        rows.push(http_row(
            &format!("scenario: POST /api/v1/ledger/awards ({award_clients} clients, chain + balance per award)"),
            &aw,
            Some(("INSERT ceiling".into(), ins_rate)),
        ));
    }
    // verify-ledger over a ledger topped up to BENCH_LEDGER_ENTRIES (default 1,000,000; --quick: as is),
    // before the rankings and points reads, so that they read a ledger of that size.
    let target: i64 = std::env::var("BENCH_LEDGER_ENTRIES").ok().and_then(|v| v.parse().ok()).unwrap_or(if quick {
        0
    } else {
        1_000_000
    });
    if wanted("verify") {
        rows.extend(ledger::verify_at_scale(&bench_state, target).await?);
    }
    // Tokens of up to 2,000 deputies spread over the whole congress, for the per-deputy reads.
    let sample: Vec<String> = (1..=deputies)
        .step_by(((deputies / 2000).max(1)) as usize)
        .map(|d| deputy_token(&bench_state, d))
        .collect::<Result<_, _>>()?;
    if wanted("rankings") {
        rows.extend(ledger::rankings(&bench_state, addr, &token, &sample, b.requests / 10, b.time, hello_rate).await?);
    }
    let regions = get_json(&http, &format!("{base}/api/v1/regions?limit=200"), &token).await?;
    let demo_city = regions["items"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["level"] == "city"))
        .and_then(|r| r["id"].as_i64())
        .ok_or("no city region")?;
    // The city published to: the seed-scale's first (60,000 deputies), else the demo's.
    let city = scale_city.unwrap_or(demo_city);
    if wanted("notices") {
        peak.take();
        rows.extend(
            notices::scenarios(
                &bench_state,
                addr,
                &token,
                city,
                &sample,
                &gateway,
                b.requests / 4,
                b.time,
                hello_rate,
                ins_rate,
            )
            .await?,
        );
        mem.push((
            "peak during the fan-out to the city (the publish row) and the inbox reads after it".into(),
            peak.take(),
        ));
        mem.push(("after the fan-out".into(), memory::rss_mb()));
    }
    if wanted("reception") {
        rows.extend(reception::scenarios(&bench_state, addr, &token, b.requests / 10, b.time, hello_rate).await?);
    }

    // The server as its own process (the in-process one stopped first): its RSS idle, under
    // load and through a fan-out to the city.
    handle.stop(true).await;
    // Its background workers end too (they wait for their current round, at most 30 s).
    let _ = serving.await;
    let mut server_mem = vec![];
    if wanted("memory") {
        server_mem = server::memory(
            &bench_state,
            &server_env,
            &token,
            city,
            &sample,
            &gateway,
            if quick { Duration::from_secs(2) } else { Duration::from_secs(5) },
        )
        .await?;
    }
    gateway_handle.stop(true).await;
    print(
        &rows,
        &format!(
            "lvzhi-bench {} — database: {backend}, cache: {}, 2 server workers, {conns} client connections",
            if quick { "--quick" } else { "all" },
            if redis_url.is_some() { "Redis" } else { "in-process" }
        ),
    );
    println!("\n| memory (RSS of the bench process: server + load generator + fake gateway) | MB |\n|---|---:|");
    for (what, mb) in &mem {
        println!("| {what} | {mb:.0} |");
    }
    if !server_mem.is_empty() {
        println!("\n| memory of `lvzhi serve` as its own process | VmRSS MB | of which RssAnon MB |\n|---|---:|---:|");
        for (what, (rss, anon)) in &server_mem {
            println!("| {what} | {rss:.0} | {anon:.0} |");
        }
    }
    println!(
        "\n(CSV import and chain verification: the p50 column is the wall time of the single run. The CSV import's ceiling is half the INSERT rate, as each row writes a deputy and a seat.)"
    );
    if let (Some(base), Some((_, name))) = (&pg_base, &pg) {
        drop_pg(base, name);
    }
    let scenario_errors: usize = rows.iter().filter(|r| r.name.starts_with("scenario")).map(|r| r.errors).sum();
    Ok(scenario_errors == 0)
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    let against = match args.first().map(String::as_str) {
        Some("all") => None,
        Some("soak") => Some(None),
        Some("get") => Some(Some(false)),
        Some("post") => Some(Some(true)),
        _ => {
            eprintln!("usage: lvzhi-bench all [--quick] | lvzhi-bench soak | lvzhi-bench get|post 127.0.0.1:PORT PATH [CLIENTS]");
            return std::process::ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lvzhi-bench: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = match against {
        Some(Some(post)) => rt.block_on(against::run(&args[1..], post)),
        Some(None) => rt.block_on(soak::run()),
        None => rt.block_on(run(quick)),
    };
    match outcome {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("lvzhi-bench: scenarios reported errors");
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("lvzhi-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The writer threads' work during one scenario: jobs, transactions and CPU time (on stderr).
struct WriterWatch {
    jobs: u64,
    txs: u64,
    cpu: f64,
    /// CPU seconds of every thread of this process (server, load generator, workers).
    all: f64,
    /// The machine's (busy, idle) jiffies (`/proc/stat`).
    machine: (u64, u64),
}

impl WriterWatch {
    fn start(state: &lvzhi::state::AppState) -> Self {
        let (jobs, txs, _) = state.db.writer.counts.snapshot();
        WriterWatch { jobs, txs, cpu: thread_cpu("lvzhi-writer"), all: thread_cpu(""), machine: machine_jiffies() }
    }

    fn report(&self, state: &lvzhi::state::AppState, what: &str, st: &load::Stats) {
        let (j, t, f) = state.db.writer.counts.snapshot();
        let (jobs, txs) = (j - self.jobs, t - self.txs);
        let (busy, idle) = machine_jiffies();
        let (busy, idle) = (busy - self.machine.0, idle - self.machine.1);
        eprintln!(
            "{what}: {jobs} write jobs in {txs} transactions ({:.1} per commit, {f} fallbacks since start); writer threads busy {:.2} s, the process {:.2} s, of {:.2} s; the machine {:.0} % busy",
            jobs as f64 / txs.max(1) as f64,
            thread_cpu("lvzhi-writer") - self.cpu,
            thread_cpu("") - self.all,
            st.elapsed.as_secs_f64(),
            100.0 * busy as f64 / (busy + idle).max(1) as f64
        );
    }
}
