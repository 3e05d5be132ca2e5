//! The check-in scenario: every request another deputy at one of the 20 stations with a fresh QR
//! token and the station's position, then the points of those check-ins booked by driving the
//! ledger's consumer directly.

use crate::setup::{deputy_token, get_json, issued_deputy_token};
use crate::writer_watch::WriterWatch;
use crate::{http_row, load, memory, once_row, Row};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// The check-in rows, and the memory peak under their load.
#[allow(clippy::too_many_arguments)]
pub async fn scenarios(
    state: &lvzhi::state::AppState,
    addr: SocketAddr,
    base: &str,
    token: &str,
    deputies: i64,
    checkin_clients: usize,
    (requests, time): (usize, Duration),
    ins_rate: f64,
    peak: &memory::Peak,
) -> Result<(Vec<Row>, (String, f64)), String> {
    let http = reqwest::Client::new();
    let mut rows = vec![];
    // Check-ins: every request is another deputy, at one of the 20 stations, with a fresh QR token
    // and the station's position: QR + geofence verification, insert, point event. The deputies'
    // tokens are as this server issued them at login or refresh (in its verified-token cache);
    // BENCH_CHECKIN_TOKENS=foreign makes them tokens it has never seen (issued by another
    // instance: each request pays the Ed25519 signature check).
    let mut stations = vec![];
    for sid in 1..=20i64 {
        let q = get_json(&http, &format!("{base}/api/v1/stations/{sid}/qr"), token).await?;
        let s = get_json(&http, &format!("{base}/api/v1/stations/{sid}"), token).await?;
        stations.push(
            serde_json::json!({"station_id": sid, "token": q["token"], "latitude": s["latitude"], "longitude": s["longitude"], "accuracy_m": 20}).to_string(),
        );
    }
    let foreign = std::env::var("BENCH_CHECKIN_TOKENS").is_ok_and(|v| v == "foreign");
    let mint = if foreign { deputy_token } else { issued_deputy_token };
    let tokens: Vec<String> = (1..=deputies).map(|d| mint(state, d)).collect::<Result<_, _>>()?;
    let make: load::MakeRequest = std::sync::Arc::new(move |n| {
        load::post_json_keyed(
            "/api/v1/checkins",
            &tokens[n % tokens.len()],
            &format!("bench-{n}"),
            &stations[n % stations.len()],
        )
    });
    let w = WriterWatch::start(state);
    let ci = load::run_with(addr, make, checkin_clients, (deputies as usize).min(requests), time).await;
    w.report(state, "check-ins", &ci);
    rows.push(http_row(
        &format!(
            "scenario: POST /api/v1/checkins ({checkin_clients} clients, a new deputy each time, tokens {})",
            if foreign { "from another instance" } else { "this server issued" }
        ),
        &ci,
        Some(("INSERT ceiling".into(), ins_rate)),
    ));
    let mem = (format!("peak under load: {checkin_clients} clients checking in"), peak.take());
    // Book the check-ins' points now, driving the ledger worker's step directly, so that its
    // next round does not land inside the awards measured below; reported as its own row.
    let t = Instant::now();
    let mut booked = 0;
    loop {
        let n = lvzhi::ledger::consume_pending_point_events(state).await.map_err(|e| e.to_string())?;
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
    Ok((rows, mem))
}
