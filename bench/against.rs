//! `lvzhi-bench get ADDR PATH [CLIENTS]`: the same bounded load, against a server that is already
//! running (say `lvzhi serve` on a database seeded once with `lvzhi seed-scale`, too large to seed
//! again for every run). The bearer token comes from `BENCH_TOKEN`; at most 300,000 requests and
//! `BENCH_SECONDS` (default 10) seconds. `lvzhi-bench post ADDR PATH [CLIENTS]` posts `BENCH_BODY`
//! instead, with `{n}` replaced by the request's number and `{d}` by a deputy id cycling through
//! 1..=`BENCH_DEPUTIES` (default 400): e.g. direct awards, for a profile of the write path.

use super::load;
use std::net::SocketAddr;
use std::time::Duration;

pub async fn run(args: &[String], post: bool) -> Result<bool, String> {
    let (Some(addr), Some(path)) = (args.first(), args.get(1)) else {
        return Err("usage: lvzhi-bench get 127.0.0.1:PORT /api/v1/… [clients]".into());
    };
    let addr: SocketAddr = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
    if !addr.ip().is_loopback() {
        return Err("load goes to 127.0.0.1 only".into());
    }
    let clients: usize = args.get(2).map(|c| c.parse().map_err(|e| format!("clients: {e}"))).transpose()?.unwrap_or(4);
    let secs: u64 = std::env::var("BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let token = std::env::var("BENCH_TOKEN").ok().filter(|t| !t.is_empty());
    let (limit, time) = (300_000, Duration::from_secs(secs));
    let st = if post {
        let body = std::env::var("BENCH_BODY").map_err(|_| "BENCH_BODY is required for post".to_string())?;
        let deputies: usize = std::env::var("BENCH_DEPUTIES").ok().and_then(|s| s.parse().ok()).unwrap_or(400).max(1);
        let (path, token) = (path.clone(), token.unwrap_or_default());
        let make: load::MakeRequest = std::sync::Arc::new(move |n| {
            let b = body.replace("{n}", &n.to_string()).replace("{d}", &(n % deputies + 1).to_string());
            load::post_json(&path, &token, &b)
        });
        load::run_with(addr, make, clients, limit, time).await
    } else {
        load::run(addr, load::get(path, token.as_deref()), clients, limit, time).await
    };
    let method = if post { "POST" } else { "GET" };
    println!(
        "| {method} {path} ({clients} clients) | {} | {:.0} | {:.2} | {:.2} | {} |",
        st.ok,
        st.rate(),
        st.pct(0.5),
        st.pct(0.99),
        st.errors
    );
    Ok(st.errors == 0)
}
