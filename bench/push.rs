//! Push delivery per provider (issue #38): the same notice to every deputy of the city with ten
//! devices each (two with --quick), all of one provider at a time, delivered by this instance's
//! worker to the local fake gateway — the webhook one push a request, JPush and Huawei a
//! thousand devices a request, APNs and FCM one a request, many in flight on one HTTP/2
//! connection. The rate is taken from the first push the gateway receives to
//! the last (the worker looks for work every second when idle: the wall time from the publish
//! is given beside it).

use super::{notices, Row};
use lvzhi::state::AppState;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Only `per` devices of `provider` per deputy are enabled (set-up, not measured); `None`: the
/// devices enabled before are again, and these are not.
async fn devices(state: &AppState, provider: Option<&'static str>, per: usize) -> Result<(), String> {
    lvzhi::db::run(&state.db, move |c| {
        use diesel::RunQueryDsl;
        let Some(provider) = provider else {
            diesel::sql_query("UPDATE devices SET disabled_at = '2026-01-01 00:00:00' WHERE token LIKE 'bench-%-%-%'")
                .execute(c)?;
            diesel::sql_query("UPDATE devices SET disabled_at = NULL WHERE token NOT LIKE 'bench-%-%-%'").execute(c)?;
            return Ok(());
        };
        diesel::sql_query("UPDATE devices SET disabled_at = '2026-01-01 00:00:00' WHERE disabled_at IS NULL")
            .execute(c)?;
        notices::add_devices(c, provider, per, |d, k| format!("bench-{provider}-{d}-{k}"))?;
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())
}

/// One row per provider.
pub async fn scenarios(
    state: &AppState,
    addr: SocketAddr,
    admin: &str,
    city: i64,
    gateway: &lvzhi::ops::Gateway,
    quick: bool,
) -> Result<Vec<Row>, String> {
    let per = if quick { 2 } else { 10 };
    let mut rows = vec![];
    let providers = [("webhook", "one a request"), ("jpush", "1000 a request"), ("huawei", "1000 a request")];
    let http2 = [("apns", "one a request on one HTTP/2 connection"), ("fcm", "one a request on one HTTP/2 connection")];
    // `BENCH_PUSH_PROVIDERS=apns,fcm`: only these.
    let only = std::env::var("BENCH_PUSH_PROVIDERS").unwrap_or_default();
    let chosen = |p: &(&str, &str)| only.is_empty() || only.split(',').any(|o| o.trim() == p.0);
    for (provider, batch) in providers.into_iter().chain(http2).filter(chosen) {
        devices(state, Some(provider), per).await?;
        let before = gateway.received.load(Ordering::Relaxed);
        let t = Instant::now();
        let (ok, targeted, _) = notices::publish(addr, admin, city, &format!("推送测试（{provider}）")).await?;
        let want = (targeted * per) as u64;
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut first = None;
        while gateway.received.load(Ordering::Relaxed) < before + want && Instant::now() < deadline {
            if first.is_none() && gateway.received.load(Ordering::Relaxed) > before {
                first = Some(Instant::now());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let got = (gateway.received.load(Ordering::Relaxed) - before) as usize;
        let window = first.map_or(0.0, |f| f.elapsed().as_secs_f64()).max(0.001);
        eprintln!(
            "push {provider}: {got} of {want} in {:.2} s from the publish, {window:.2} s from the first",
            t.elapsed().as_secs_f64()
        );
        rows.push(Row {
            name: format!(
                "scenario: push delivery by {provider}, {batch} ({got} of {want} pushes, one instance; wall {:.1} s from the publish)",
                t.elapsed().as_secs_f64()
            ),
            ops: got,
            rate: got as f64 / window,
            p50: None,
            p99: None,
            errors: want as usize - got.min(want as usize) + usize::from(!ok),
            ceiling: None,
        });
    }
    devices(state, None, 0).await?;
    Ok(rows)
}
