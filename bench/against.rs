//! `lvzhi-bench get ADDR PATH [CLIENTS]`: the same bounded load, against a server that is already
//! running (say `lvzhi serve` on a database seeded once with `lvzhi seed-scale`, too large to seed
//! again for every run). The bearer token comes from `BENCH_TOKEN`; at most 300,000 requests and
//! `BENCH_SECONDS` (default 10) seconds.

use super::load;
use std::net::SocketAddr;
use std::time::Duration;

pub async fn run(args: &[String]) -> Result<bool, String> {
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
    let st = load::run(addr, load::get(path, token.as_deref()), clients, 300_000, Duration::from_secs(secs)).await;
    println!("| GET {path} ({clients} clients) | {} | {:.0} | {:.2} | {:.2} | {} |", st.ok, st.rate(), st.pct(0.5), st.pct(0.99), st.errors);
    Ok(st.errors == 0)
}
