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
//! scenarios to run — me, lists, checkins, awards, rankings, notices, reception, duty_reports,
//! projects, coverage, consultations, feed, push, verify, memory —
//! for profiling one of them; the ceilings and the CSV import always run), `BENCH_SCALE=N` (seed
//! N more deputies with a year of duty first, as `lvzhi seed-scale` does), `BENCH_IMPORT`,
//! `BENCH_LEDGER_ENTRIES`, `BENCH_AWARD_CLIENTS` (default 64).

mod against;
mod ceilings;
mod checkins;
mod consultations;
mod coverage;
mod duty_reports;
mod feed;
mod import;
mod ledger;
mod load;
mod memory;
mod notices;
mod pages;
mod projects;
mod push;
mod reception;
mod relay;
mod rows;
mod server;
mod setup;
mod soak;
mod writer_watch;

use rows::{budget, print, wanted};
pub use rows::{http_row, once_row, Row};

use lvzhi::config::Settings;
use lvzhi::platform::Clock;
use lvzhi::startup::{build_state, Application};
use setup::{deputy_token, drop_pg, fresh_pg, get_json, login};
use std::net::SocketAddr;
use std::time::Instant;

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
    // Pushes go to a local fake gateway in this process.
    let (gateway, gateway_server) = lvzhi::ops::start_fake_gateway("127.0.0.1:0", Some("bench".into()), false, 1)?;
    let gateway_handle = gateway_server.handle();
    tokio::spawn(gateway_server);
    let env = server::environment(&db_url, dir.path(), gateway.port, redis_url.as_deref())?;
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
    let (scale_city, seeded) = setup::seed_scale(&state, scale_n).await?;
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
    let ins_rate = ceilings::database(&mut rows, &db_url, (backend, pg.is_some()), redis_url.as_deref(), &b).await?;
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
    rows.push(import::scenario(&base, &token, n, ins_rate / 2.0).await?);
    peak.take();
    mem.push((format!("idle, after importing {n} deputies"), memory::rss_mb()));

    let deputies = lvzhi::db::run(&bench_state.db, lvzhi::org::count_deputies).await.map_err(|e| e.to_string())?;
    let http = reqwest::Client::new();
    let checkin_clients = 64;
    if wanted("checkins") {
        let (r, m) = checkins::scenarios(
            &bench_state,
            addr,
            &base,
            &token,
            deputies,
            checkin_clients,
            (b.requests, b.time),
            ins_rate,
            &peak,
        )
        .await?;
        rows.extend(r);
        mem.push(m);
    }
    if wanted("feed") {
        rows.extend(
            feed::cost(&bench_state, addr, &base, &token, deputies, checkin_clients, (b.requests, b.time)).await?,
        );
    }
    if wanted("awards") {
        rows.push(
            ledger::awards(&bench_state, addr, &token, deputies, checkin_clients, (b.requests, b.time), ins_rate)
                .await?,
        );
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
    if wanted("push") {
        rows.extend(push::scenarios(&bench_state, addr, &token, city, &gateway, quick).await?);
    }
    if wanted("pages") {
        rows.extend(pages::scenario(addr, &token, b.requests, b.time, hello_rate).await?);
    }
    if wanted("reception") {
        rows.extend(reception::scenarios(&bench_state, addr, &token, b.requests / 10, b.time, hello_rate).await?);
    }
    if wanted("duty_reports") {
        rows.extend(duty_reports::scenarios(&bench_state, addr, &token, quick, ins_rate).await?);
    }
    if wanted("projects") {
        rows.extend(projects::scenarios(&bench_state, addr, &token, quick).await?);
    }
    if wanted("coverage") {
        rows.extend(coverage::scenario(&bench_state, addr, &token, demo_city, quick).await?);
    }
    if wanted("consultations") {
        rows.extend(consultations::scenarios(&bench_state, addr, &token, demo_city, quick, ins_rate).await?);
    }
    if wanted("feed") {
        rows.extend(feed::catch_up(addr, &base, &token, &bench_state, (demo_city, quick)).await?);
    }

    // The server as its own process (the in-process one stopped first): its RSS idle, under
    // load and through a fan-out to the city.
    handle.stop(true).await;
    // Its background workers end too (they wait for their current round, at most 30 s).
    let _ = serving.await;
    let server_mem = match wanted("memory") {
        true => server::memory(&bench_state, &server_env, &token, city, &sample, &gateway, quick).await?,
        false => vec![],
    };
    gateway_handle.stop(true).await;
    print(&rows, &rows::header(quick, backend, redis_url.is_some(), conns));
    rows::print_memory(&mem, &server_mem);
    if let (Some(base), Some((_, name))) = (&pg_base, &pg) {
        drop_pg(base, name);
    }
    let scenario_errors: usize = rows.iter().filter(|r| r.name.starts_with("scenario")).map(|r| r.errors).sum();
    Ok(scenario_errors == 0)
}

fn main() -> std::process::ExitCode {
    // The in-process server's log, when asked for (`RUST_LOG=lvzhi::push=debug`).
    if std::env::var_os("RUST_LOG").is_some() {
        let filter = tracing_subscriber::EnvFilter::from_default_env();
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    }
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
