//! The bench's result rows: one per measurement with its rate, latencies, errors and ratio to the\nceiling it is read against, printed as a Markdown table.

pub struct Row {
    pub name: String,
    pub ops: usize,
    pub rate: f64,
    pub p50: Option<f64>,
    pub p99: Option<f64>,
    pub errors: usize,
    pub ceiling: Option<(String, f64)>,
}

pub fn http_row(name: &str, st: &crate::load::Stats, ceiling: Option<(String, f64)>) -> Row {
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

pub fn rate_row(name: &str, r: &crate::ceilings::Rate) -> Row {
    Row { name: name.into(), ops: r.ops, rate: r.per_sec(), p50: None, p99: None, errors: r.errors, ceiling: None }
}

pub fn print(rows: &[Row], header: &str) {
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

/// The memory tables: the bench process's RSS at each step, and `lvzhi serve`'s as its own process.
pub fn print_memory(mem: &[(String, f64)], server_mem: &[(String, (f64, f64))]) {
    println!("\n| memory (RSS of the bench process: server + load generator + fake gateway) | MB |\n|---|---:|");
    for (what, mb) in mem {
        println!("| {what} | {mb:.0} |");
    }
    if !server_mem.is_empty() {
        println!("\n| memory of `lvzhi serve` as its own process | VmRSS MB | of which RssAnon MB |\n|---|---:|---:|");
        for (what, (rss, anon)) in server_mem {
            println!("| {what} | {rss:.0} | {anon:.0} |");
        }
    }
    println!(
        "\n(CSV import and chain verification: the p50 column is the wall time of the single run. The CSV import's ceiling is half the INSERT rate, as each row writes a deputy and a seat.)"
    );
}

pub struct Budget {
    pub requests: usize,
    pub time: std::time::Duration,
}

pub fn budget(quick: bool) -> Budget {
    if quick {
        Budget { requests: 20_000, time: std::time::Duration::from_secs(3) }
    } else {
        Budget { requests: 300_000, time: std::time::Duration::from_secs(10) }
    }
}

/// Whether `BENCH_ONLY` (if set) names this scenario.
pub fn wanted(name: &str) -> bool {
    std::env::var("BENCH_ONLY").map(|v| v.split(',').any(|s| s.trim() == name)).unwrap_or(true)
}

/// The heading of the printed table.
pub fn header(quick: bool, backend: &str, redis: bool, conns: usize) -> String {
    format!(
        "lvzhi-bench {} — database: {backend}, cache: {}, 2 server workers, {conns} client connections",
        if quick { "--quick" } else { "all" },
        if redis { "Redis" } else { "in-process" }
    )
}
