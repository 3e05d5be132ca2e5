//! Notice scenarios at scale: publishing to every deputy of the city (inbox rows and one push
//! per device, in one request), delivery of those pushes through the server's own push worker
//! to a local fake gateway, and the deputies' inbox reads under 64 concurrent clients.

use super::{http_row, load, Row};
use lvzhi::state::AppState;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// `per` devices of `provider` for every deputy, named by `token(deputy, k)`, 1,000 rows a
/// statement (set-up, not measured; a token already there is left alone); answers the deputies.
pub fn add_devices(
    c: &mut lvzhi::db::AnyConnection,
    provider: &str,
    per: usize,
    token: impl Fn(i64, usize) -> String,
) -> diesel::QueryResult<usize> {
    use diesel::RunQueryDsl;
    let ids: Vec<i64> = {
        use diesel::prelude::*;
        use lvzhi::db::schema::deputies as d;
        d::table.select(d::id).order(d::id).load(c)?
    };
    let rows: Vec<String> = ids
        .iter()
        .flat_map(|&d| (0..per).map(move |k| (d, k)))
        .map(|(d, k)| {
            format!(
                "({d}, 0, 'android', '{provider}', '{}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                token(d, k)
            )
        })
        .collect();
    for chunk in rows.chunks(1000) {
        diesel::sql_query(format!(
            "INSERT INTO devices (deputy_id, account_id, platform, provider, token, created_at, updated_at) VALUES {} ON CONFLICT (provider, token) DO NOTHING",
            chunk.join(",")
        ))
        .execute(c)?;
    }
    Ok(ids.len())
}

/// One webhook device per deputy (set-up, not measured).
pub async fn phones(state: &AppState) -> Result<usize, String> {
    lvzhi::db::run(&state.db, |c| Ok(add_devices(c, "webhook", 1, |d, _| format!("bench-{d}"))?))
        .await
        .map_err(|e| e.to_string())
}

/// Publishes one briefing to every deputy of `city` in one request: (answered 201?, deputies
/// reached, seconds).
pub async fn publish(addr: SocketAddr, admin: &str, city: i64, title: &str) -> Result<(bool, usize, f64), String> {
    let body = serde_json::json!({"kind": "briefing", "title": title, "body": "…", "audience": {"regions": [city]}, "publish": true});
    let t = Instant::now();
    let r = reqwest::Client::new()
        .post(format!("http://{addr}/api/v1/notices"))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    let ok = r.status().as_u16() == 201;
    let v: serde_json::Value = r.json().await.unwrap_or_default();
    Ok((ok, v["stats"]["targeted"].as_u64().unwrap_or(0) as usize, secs))
}

/// Waits (at most 300 s) until the gateway has received `pushes` more than `before` — one device
/// per deputy, so a push for each deputy a publication reached: (received, seconds).
pub async fn await_pushes(gateway: &lvzhi::ops::Gateway, before: u64, pushes: usize) -> (usize, f64) {
    let t = Instant::now();
    let deadline = t + Duration::from_secs(300);
    while gateway.received.load(Ordering::Relaxed) < before + pushes as u64 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    ((gateway.received.load(Ordering::Relaxed) - before) as usize, t.elapsed().as_secs_f64())
}

/// Publish, deliver, read.
#[allow(clippy::too_many_arguments)]
pub async fn scenarios(
    state: &AppState,
    addr: SocketAddr,
    admin: &str,
    city: i64,
    deputy_tokens: &[String],
    gateway: &lvzhi::ops::Gateway,
    requests: usize,
    time: Duration,
    hello: f64,
    insert_ceiling: f64,
) -> Result<Vec<Row>, String> {
    let mut rows = vec![];
    phones(state).await?;
    let before = gateway.received.load(Ordering::Relaxed);
    let (ok, targeted, secs) = publish(addr, admin, city, "全市人大代表情况通报").await?;
    rows.push(Row {
        name: format!("scenario: publish to {targeted} deputies (a phone each: inbox + outbox rows, one request)"),
        ops: 2 * targeted,
        rate: (2 * targeted) as f64 / secs,
        p50: Some(secs * 1000.0),
        p99: None,
        errors: usize::from(!ok),
        ceiling: Some(("INSERT ceiling".into(), insert_ceiling)),
    });
    // The server's push worker delivers them (64 in flight per instance) to the local gateway.
    let (got, secs) = await_pushes(gateway, before, targeted).await;
    rows.push(Row {
        name: format!("scenario: push delivery to a local fake gateway ({got} of {targeted} pushes, one instance)"),
        ops: got,
        rate: got as f64 / secs,
        p50: Some(secs * 1000.0),
        p99: None,
        errors: targeted.saturating_sub(got),
        // (a few more than the devices: the demo notice's pushes arrive in the same window)
        ceiling: Some(("hello".into(), hello)),
    });
    // Inbox reads: a different deputy each request (the unread badge first: it warms the token
    // cache for both).
    let tokens: std::sync::Arc<Vec<String>> = std::sync::Arc::new(deputy_tokens.to_vec());
    let t2 = tokens.clone();
    let count: load::MakeRequest =
        std::sync::Arc::new(move |n| load::get("/api/v1/me/inbox/unread-count", Some(&t2[n % t2.len()])));
    let st = load::run_with(addr, count, 64, requests, time).await;
    rows.push(http_row(
        "scenario: GET /api/v1/me/inbox/unread-count (64 clients, a different deputy each time)",
        &st,
        Some(("hello".into(), hello)),
    ));
    let list: load::MakeRequest =
        std::sync::Arc::new(move |n| load::get("/api/v1/me/inbox", Some(&tokens[n % tokens.len()])));
    let st = load::run_with(addr, list, 64, requests, time).await;
    rows.push(http_row(
        "scenario: GET /api/v1/me/inbox (64 clients, a different deputy each time)",
        &st,
        Some(("hello".into(), hello)),
    ));
    Ok(rows)
}
