//! The feed scenarios: what writing the feed's rows costs check-ins and awards (the same load
//! with and without them, alternated in one run), a subscriber catching up on a large backlog
//! through the deliverer of this one instance, and pull pages of 1,000 events.

use crate::setup::{get_json, issued_deputy_token};
use crate::{http_row, load, once_row, Row};
use actix_web::{web, App, HttpResponse, HttpServer};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Does the work a phase left behind — the ledger's booking of check-ins' points, the boards'
/// outbox, the feed's numbering (PostgreSQL) — so that each phase pays for all of its own work
/// and none of the one before; answers the time it took.
async fn settle(state: &lvzhi::state::AppState) -> Duration {
    let t = Instant::now();
    let deadline = t + Duration::from_secs(120);
    while Instant::now() < deadline {
        let booked = lvzhi::ledger::consume_pending_point_events(state).await.unwrap_or(0);
        let boards = lvzhi::ledger::drain_board(state).await.unwrap_or(0);
        let numbered = lvzhi::feed::sequence(state).await.unwrap_or(0);
        if booked + boards + numbered == 0 {
            break;
        }
    }
    t.elapsed()
}

/// Alternates phases without and with the feed's rows; answers the two sums (requests, and
/// seconds of load plus the settling after it).
async fn alternate(
    state: &lvzhi::state::AppState,
    addr: SocketAddr,
    make: impl Fn(usize) -> load::MakeRequest,
    clients: usize,
    (per_phase, time): (usize, Duration),
) -> (load::Stats, load::Stats) {
    let mut runs: [Vec<load::Stats>; 2] = [vec![], vec![]];
    // Phase 0 warms up (a whole phase, not counted: the first phase after a quiet spell runs
    // fastest); then (without, with, with, without) three times: each half sees
    // the same positions in the run, so a drift over the run (the tables grow, checkpoints come)
    // falls on both alike instead of on the later phases.
    load::run_with(addr, make(0), clients, per_phase, time).await;
    settle(state).await;
    for phase in 1..13 {
        let on = matches!(phase % 4, 2 | 3);
        lvzhi::feed::seeding::set_writing(on);
        let mut st = load::run_with(addr, make(phase), clients, per_phase, time).await;
        let after = settle(state).await;
        eprintln!(
            "feed phase {phase} ({}): {:.0}/s under load, settled in {:.2} s",
            if on { "with" } else { "without" },
            st.rate(),
            after.as_secs_f64()
        );
        st.elapsed += after;
        runs[on as usize].push(st);
    }
    lvzhi::feed::seeding::set_writing(true);
    let [off, on] = runs;
    (load::Stats::merge(off), load::Stats::merge(on))
}

/// Check-ins and awards with and without the feed's rows.
pub async fn cost(
    state: &lvzhi::state::AppState,
    addr: SocketAddr,
    base: &str,
    token: &str,
    deputies: i64,
    clients: usize,
    (requests, time): (usize, Duration),
) -> Result<Vec<Row>, String> {
    let http = reqwest::Client::new();
    let mut stations = vec![];
    for sid in 1..=20i64 {
        let q = get_json(&http, &format!("{base}/api/v1/stations/{sid}/qr"), token).await?;
        let s = get_json(&http, &format!("{base}/api/v1/stations/{sid}"), token).await?;
        stations.push(serde_json::json!({"station_id": sid, "token": q["token"], "latitude": s["latitude"], "longitude": s["longitude"], "accuracy_m": 20}).to_string());
    }
    let tokens: Arc<Vec<String>> =
        Arc::new((1..=deputies).map(|d| issued_deputy_token(state, d)).collect::<Result<_, _>>()?);
    let stations = Arc::new(stations);
    // Phase k takes every thirteenth deputy from k on, each round at the next station: every
    // request a new check-in, the same mix in every phase.
    let per_phase = (requests / 14).max(1);
    let checkin = |phase: usize| -> load::MakeRequest {
        let (tokens, stations) = (tokens.clone(), stations.clone());
        Arc::new(move |n| {
            let (d, round) = ((n * 13 + phase) % tokens.len(), (n * 13 + phase) / tokens.len());
            let key = format!("feed-{phase}-{n}");
            load::post_json_keyed("/api/v1/checkins", &tokens[d], &key, &stations[(d + 7 + round) % stations.len()])
        })
    };
    let (off, on) = alternate(state, addr, checkin, clients, (per_phase, time / 2)).await;
    let mut rows = vec![http_row("scenario: POST /api/v1/checkins without the feed's rows", &off, None)];
    rows.push(http_row(
        "scenario: POST /api/v1/checkins with the feed's rows (goal ≥ 0.90 of without)",
        &on,
        Some(("the same without".into(), off.rate())),
    ));
    let award = |phase: usize| -> load::MakeRequest {
        let (token, deputies) = (token.to_string(), deputies as usize);
        Arc::new(move |n| {
            let body = format!(
                r#"{{"deputy_id":{},"rule_code":"suggestion_filed","source_kind":"suggestion","source_id":"feed-{phase}-{n}"}}"#,
                n % deputies + 1
            );
            load::post_json("/api/v1/ledger/awards", &token, &body)
        })
    };
    let (off, on) = alternate(state, addr, award, clients, (requests / 28, time / 2)).await;
    rows.push(http_row("scenario: POST /api/v1/ledger/awards without the feed's rows", &off, None));
    rows.push(http_row(
        "scenario: POST /api/v1/ledger/awards with the feed's rows (goal ≥ 0.90 of without)",
        &on,
        Some(("the same without".into(), off.rate())),
    ));
    Ok(rows)
}

/// A receiving platform that counts the events it is sent.
async fn receiver() -> Result<(String, Arc<AtomicUsize>), String> {
    let got = Arc::new(AtomicUsize::new(0));
    let data = web::Data::new(got.clone());
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).app_data(web::PayloadConfig::new(64 << 20)).route(
            "/hook",
            web::post().to(|n: web::Data<Arc<AtomicUsize>>, body: web::Bytes| async move {
                let events: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap_or_default();
                n.fetch_add(events.len(), Ordering::Relaxed);
                HttpResponse::Ok().finish()
            }),
        )
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .map_err(|e| e.to_string())?;
    let url = format!("http://127.0.0.1:{}/hook", server.addrs()[0].port());
    tokio::spawn(server.run());
    Ok((url, got))
}

/// Writes `n` events (a check-in's each) and numbers them: the backlog.
async fn backlog(state: &lvzhi::state::AppState, n: usize, city: i64) -> Result<Vec<Row>, String> {
    let path = lvzhi::db::run(&state.db, move |c| lvzhi::org::region_path(c, city))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no city")?;
    let path: &'static str = Box::leak(format!("{path}1/").into_boxed_str());
    let t = Instant::now();
    let data = r#"{"checkin_id":1,"deputy_id":1,"station_id":1,"event_id":null,"offline":false,"staff_confirmed":false,"checked_in_at":"2026-12-07T02:00:00Z"}"#;
    let at = state.now();
    let mut left = n;
    while left > 0 {
        let k = left.min(50_000);
        lvzhi::db::tx(&state.db, move |c| {
            let rows: Vec<lvzhi::feed::seeding::NewRow> =
                (0..k).map(|_| ("cn.lvzhi.checkin.accepted", "checkins/1", path, data, at)).collect();
            lvzhi::feed::seeding::insert_events(c, &rows)
        })
        .await
        .map_err(|e| e.to_string())?;
        left -= k;
    }
    let written = t.elapsed().as_secs_f64();
    let t = Instant::now();
    // (The app's own sequencer runs beside this one: numbered when neither finds any left.)
    let mut numbered = 0;
    loop {
        numbered += lvzhi::feed::sequence(state).await.map_err(|e| e.to_string())?;
        if !lvzhi::db::run(&state.db, lvzhi::feed::seeding::unsequenced).await.map_err(|e| e.to_string())? {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(vec![
        once_row(format!("set-up: {n} feed events written"), n, written),
        once_row(
            format!("sequencer: all numbered ({numbered} by this call; none on SQLite)"),
            n,
            t.elapsed().as_secs_f64(),
        ),
    ])
}

/// A subscriber catching up on a backlog of `BENCH_FEED_EVENTS` (default 1,000,000; --quick
/// 20,000), and pull pages of 1,000 from anywhere in it.
pub async fn catch_up(
    addr: SocketAddr,
    base: &str,
    admin: &str,
    state: &lvzhi::state::AppState,
    (city, quick): (i64, bool),
) -> Result<Vec<Row>, String> {
    let n = std::env::var("BENCH_FEED_EVENTS").ok().and_then(|v| v.parse().ok());
    let n: usize = n.unwrap_or(if quick { 20_000 } else { 1_000_000 });
    let mut rows = backlog(state, n, city).await?;
    let http = reqwest::Client::new();
    let (url, got) = receiver().await?;
    let c = crate::setup::call(&http, reqwest::Method::POST, format!("{base}/api/v1/accounts"), admin, serde_json::json!({"username": "bench-platform", "role": "client", "display_name": "上级平台", "region_id": city, "scopes": ["feed:read"]})).await?;
    let client_id = c["id"].as_i64().ok_or("no client id")?;
    let secret = c["client_secret"].as_str().ok_or("no secret")?.to_string();
    // The catch-up: every event kept, delivered by this instance's own worker.
    let t = Instant::now();
    let sub = serde_json::json!({"client_id": client_id, "url": url, "from_start": true});
    let s = crate::setup::call(&http, reqwest::Method::POST, format!("{base}/api/v1/feed/subscriptions"), admin, sub);
    let id = s.await?["subscription"]["id"].as_i64().ok_or("no subscription")?;
    let head = lvzhi::db::run(&state.db, lvzhi::feed::seeding::head).await.map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let v = get_json(&http, &format!("{base}/api/v1/feed/subscriptions/{id}"), admin).await?;
        if v["delivered_through"].as_i64().unwrap_or(0) >= head || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered = got.load(Ordering::Relaxed);
    let secs = t.elapsed().as_secs_f64();
    let mut r =
        once_row(format!("scenario: webhook catch-up of {delivered} events (goal ≥ 5,000 events/s)"), delivered, secs);
    r.errors = (delivered < n) as usize;
    rows.push(r);
    // Pull: walk the feed in pages of 1,000, then read pages from anywhere in it.
    let form =
        [("grant_type", "client_credentials"), ("client_id", "bench-platform"), ("client_secret", secret.as_str())];
    let tok: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/token"))
        .form(&form)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let token = tok["access_token"].as_str().ok_or("no client token")?.to_string();
    let (mut cursors, mut after, t) = (vec![], String::new(), Instant::now());
    for _ in 0..(n / 1000 + 2) {
        let page = get_json(&http, &format!("{base}/api/v1/feed?limit=1000{after}"), &token).await?;
        let next = page["next_cursor"].as_str().ok_or("no cursor")?.to_string();
        cursors.push(next.clone());
        after = format!("&after={next}");
        if page["caught_up"] == true {
            break;
        }
    }
    rows.push(once_row(
        format!("scenario: GET /api/v1/feed replay from the start ({} pages of 1,000)", cursors.len()),
        cursors.len(),
        t.elapsed().as_secs_f64(),
    ));
    let cursors = Arc::new(cursors);
    let make: load::MakeRequest = Arc::new(move |i| {
        load::get(&format!("/api/v1/feed?limit=1000&after={}", cursors[(i * 7919) % cursors.len()]), Some(&token))
    });
    let pages = load::run_with(addr, make, 8, 2_000, Duration::from_secs(5)).await;
    rows.push(http_row(
        "scenario: GET /api/v1/feed?limit=1000 from anywhere (8 clients; goal p99 < 50 ms)",
        &pages,
        None,
    ));
    Ok(rows)
}
