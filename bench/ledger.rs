//! Ledger scenarios at scale: ranking reads from the sorted-set leaderboards and from SQL (twin
//! servers on the same state answer from the kept ranking tables and by counting the scope), and chain verification over a ledger topped up
//! to a target number of entries.

use super::{http_row, load, once_row, Row};
use lvzhi::config::Rankings;
use lvzhi::state::AppState;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Concurrent ranking readers: a latency figure, two per core.
const CLIENTS: usize = 4;

/// Waits until the leaderboards have taken every change (the board worker drains the outbox).
pub async fn settle(state: &AppState) -> Result<(), String> {
    while lvzhi::ledger::drain_board(state).await.map_err(|e| e.to_string())? > 0 {}
    Ok(())
}

/// Waits (up to 20 minutes) until rankings come from the leaderboard: the server builds a year's
/// board when it starts, and until then answers from SQL (at 600,000 deputies the build takes
/// minutes, and a measurement taken meanwhile would be of the SQL path).
async fn board_ready(addr: SocketAddr, admin: &str) -> Result<(), String> {
    let (http, t0) = (reqwest::Client::new(), Instant::now());
    loop {
        let r = super::get_json(&http, &format!("http://{addr}/api/v1/rankings?limit=1"), admin).await?;
        if r["source"] == "sorted_sets" {
            eprintln!("leaderboard ready after {:.1} s", t0.elapsed().as_secs_f64());
            return Ok(());
        }
        if t0.elapsed() > Duration::from_secs(1200) {
            return Err(format!("the leaderboard was not built within 20 minutes: {r}"));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Rank reads: the admin's top 20 of the city, and deputies asking for their own place; then
/// deputies reading their own points.
pub async fn rankings(
    state: &AppState,
    addr: SocketAddr,
    admin: &str,
    deputy_tokens: &[String],
    requests: usize,
    time: Duration,
    hello: f64,
) -> Result<Vec<Row>, String> {
    settle(state).await?;
    if state.settings.rankings == Rankings::SortedSets {
        board_ready(addr, admin).await?;
    }
    // The ranking tables of this year, built as the server would at start-up with
    // `LVZHI_RANKINGS=sql` (from then on the outbox keeps them, as it keeps the boards).
    let year = chrono::Datelike::year(&state.clock.now().with_timezone(&state.settings.tz));
    let t = Instant::now();
    let built = lvzhi::ledger::build_rank_tables(state, year).await.map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    let mut rows = vec![once_row(
        format!("setup: build the ranking tables of {year} ({built} deputies with a total)"),
        built,
        secs,
    )];
    let deputies = lvzhi::db::run(&state.db, lvzhi::org::count_deputies).await.map_err(|e| e.to_string())?;
    let board = if state.settings.redis_url.is_some() { "Redis sorted sets" } else { "in-process sorted sets" };
    let mut twins = vec![];
    let mut targets = vec![(addr, board)];
    for (source, label) in [(Rankings::Sql, "SQL tables"), (Rankings::SqlScan, "SQL scan")] {
        let mut twin_state = state.clone();
        let mut s = (*state.settings).clone();
        s.rankings = source;
        twin_state.settings = std::sync::Arc::new(s);
        let twin = lvzhi::startup::Application::start(twin_state)?;
        targets.push((format!("127.0.0.1:{}", twin.port()).parse().map_err(|e| format!("{e}"))?, label));
        twins.push(twin.handle());
        tokio::spawn(twin.run_until_stopped());
    }
    for (target, source) in targets {
        let top = load::run(target, load::get("/api/v1/rankings?limit=20", Some(admin)), CLIENTS, requests, time).await;
        rows.push(http_row(
            &format!("scenario: GET /api/v1/rankings?limit=20, city scope ({deputies} deputies, {source}, {CLIENTS} clients)"),
            &top,
            Some(("hello".into(), hello)),
        ));
        let tokens = deputy_tokens.to_vec();
        let make: load::MakeRequest = std::sync::Arc::new(move |n| {
            load::get("/api/v1/rankings?limit=20", Some(&tokens[(n * 7919) % tokens.len()]))
        });
        let me = load::run_with(target, make.clone(), CLIENTS, requests, time).await;
        rows.push(http_row(
            &format!("scenario: GET /api/v1/rankings as a deputy: top 20 + my rank ({source})"),
            &me,
            Some(("hello".into(), hello)),
        ));
        if source != "SQL scan" {
            // The same read as throughput: as many clients as the other per-deputy reads.
            let many = load::run_with(target, make, 64, requests, time).await;
            rows.push(http_row(
                &format!("scenario: GET /api/v1/rankings as a deputy, 64 clients ({source})"),
                &many,
                Some(("hello".into(), hello)),
            ));
        }
    }
    for twin in twins {
        twin.stop(true).await;
    }
    // A deputy's own points, entry by entry with totals by category (this year).
    let tokens = deputy_tokens.to_vec();
    let make: load::MakeRequest =
        std::sync::Arc::new(move |n| load::get("/api/v1/me/points", Some(&tokens[(n * 7919) % tokens.len()])));
    let mine = load::run_with(addr, make, 64, requests, time).await;
    rows.push(http_row(
        "scenario: GET /api/v1/me/points (64 clients, a different deputy each time)",
        &mine,
        Some(("hello".into(), hello)),
    ));
    Ok(rows)
}

/// Tops the ledger up to `target` entries (suggestion awards spread over every deputy, posted
/// 5,000 at a time), then times `verify-ledger`.
pub async fn verify_at_scale(state: &AppState, target: i64) -> Result<Vec<Row>, String> {
    let have = lvzhi::db::run(&state.db, lvzhi::ledger::seeding::max_entry_id).await.map_err(|e| e.to_string())?;
    let deputies = lvzhi::db::run(&state.db, lvzhi::org::count_deputies).await.map_err(|e| e.to_string())?;
    let mut rows = vec![];
    if target > have {
        let (tz, now) = (state.settings.tz, state.now());
        let t = Instant::now();
        let mut made = 0i64;
        while have + made < target {
            let n = (target - have - made).min(5000);
            let start = made;
            let awards: Vec<lvzhi::ledger::Award> = (start..start + n)
                .map(|i| lvzhi::ledger::Award {
                    deputy_id: i % deputies + 1,
                    rule_code: "suggestion_filed".into(),
                    points: None,
                    occurred_at: now,
                    source_kind: "bench_fill".into(),
                    source_id: format!("fill-{i}"),
                    actor: "system:bench".into(),
                    reason: None,
                    reverses: None,
                    direct: false,
                })
                .collect();
            lvzhi::db::tx(&state.db, move |c| lvzhi::ledger::post_awards(c, &awards, tz, now).map(|_| ()))
                .await
                .map_err(|e| e.to_string())?;
            made += n;
        }
        let secs = t.elapsed().as_secs_f64();
        rows.push(once_row(
            format!("setup: post {made} awards in bulks of 5,000 (chain + caps + balances + totals)"),
            made as usize,
            secs,
        ));
    }
    let t = Instant::now();
    let v = lvzhi::db::run(&state.db, lvzhi::ledger::verify_chains).await.map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    rows.push(Row {
        name: format!(
            "scenario: verify every hash chain ({} entries, {} deputies)",
            v.entries_checked, v.deputies_checked
        ),
        ops: v.entries_checked as usize,
        rate: v.entries_checked as f64 / secs.max(1e-9),
        p50: Some(secs * 1000.0),
        p99: None,
        errors: usize::from(!v.ok),
        ceiling: None,
    });
    Ok(rows)
}

/// Direct awards (hash chain + cap check + balance in one transaction), one source each, spread
/// over every deputy.
pub async fn awards(
    state: &lvzhi::state::AppState,
    addr: std::net::SocketAddr,
    token: &str,
    deputies: i64,
    clients: usize,
    (requests, time): (usize, std::time::Duration),
    ins_rate: f64,
) -> Result<Row, String> {
    let award_make: load::MakeRequest = {
        let token = token.to_string();
        let deputies = deputies as usize;
        std::sync::Arc::new(move |n| {
            let body = format!(
                r#"{{"deputy_id":{},"rule_code":"suggestion_filed","source_kind":"suggestion","source_id":"bench-{n}"}}"#,
                n % deputies + 1
            );
            load::post_json("/api/v1/ledger/awards", &token, &body)
        })
    };
    let w = crate::writer_watch::WriterWatch::start(state);
    let award_clients: usize =
        std::env::var("BENCH_AWARD_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(clients);
    let aw = load::run_with(addr, award_make, award_clients, requests / 4, time).await;
    w.report(state, "awards", &aw);
    Ok(http_row(
        &format!("scenario: POST /api/v1/ledger/awards ({award_clients} clients, chain + balance per award)"),
        &aw,
        Some(("INSERT ceiling".into(), ins_rate)),
    ))
}
