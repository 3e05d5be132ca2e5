//! Set-up helpers of the bench: a fresh PostgreSQL database per run, the CSV of an import, the
//! admin's login, deputies' tokens signed with the server's key, and per-thread CPU time.

pub fn fresh_pg(base: &str) -> Result<(String, String), String> {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let name = format!("lvzhi_bench_{}", std::process::id());
    let mut c = PgConnection::establish(base).map_err(|e| format!("BENCH_DATABASE_URL: {e}"))?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut c).map_err(|e| e.to_string())?;
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).map_err(|e| e.to_string())?;
    let (head, _) = base.rsplit_once('/').ok_or("BENCH_DATABASE_URL needs a database path")?;
    Ok((format!("{head}/{name}"), name))
}

pub fn drop_pg(base: &str, name: &str) {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    if let Ok(mut c) = PgConnection::establish(base) {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
    }
}

pub fn csv_rows(n: usize) -> String {
    let mut s = String::from("姓名,性别,手机号,层级,行政区划代码,届次,选举单位\n");
    for i in 0..n {
        s.push_str(&format!(
            "导入代表{i},{},{},乡镇,340104{:03},6,第{}选区\n",
            if i % 2 == 0 { "男" } else { "女" },
            15_000_000_000u64 + i as u64,
            i % 4 + 1,
            i % 30 + 1
        ));
    }
    s
}

/// Signs in with a demo password: the demo's `admin` (the demo city), or the bench's national
/// administrator when a seed-scale province exists beside the city.
pub async fn login(base: &str, username: &str) -> Result<String, String> {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": username, "password": lvzhi::demo::PASSWORD}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let v: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
    v["access_token"].as_str().map(str::to_string).ok_or_else(|| format!("login failed: {v}"))
}

/// Sends a JSON request: its answer's body, or an error naming the status and the body.
pub async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let r = http.request(method, &url).bearer_auth(token).json(&body).send().await.map_err(|e| e.to_string())?;
    let status = r.status();
    let v: serde_json::Value = r.json().await.unwrap_or_default();
    if !status.is_success() {
        return Err(format!("{url}: {status} {v}"));
    }
    Ok(v)
}

pub async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> Result<serde_json::Value, String> {
    http.get(url).bearer_auth(token).send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())
}

/// The printed codes of the first 20 demo stations.
pub async fn station_codes(base: &str, admin: &str) -> Result<Vec<String>, String> {
    let http = reqwest::Client::new();
    let mut codes = vec![];
    for sid in 1..=20 {
        let s = get_json(&http, &format!("{base}/api/v1/stations/{sid}"), admin).await?;
        codes.push(s["public_code"].as_str().unwrap_or_default().to_string());
    }
    Ok(codes)
}

/// An access token for a deputy, signed with the server's own key (the bench skips 10,000 logins).
/// The server has not seen it: its first request pays the signature check, as a token issued by
/// another instance would.
pub fn deputy_token(state: &lvzhi::state::AppState, deputy: i64) -> Result<String, String> {
    lvzhi::auth::sign_token(&state.keys, &deputy_claims(state, deputy))
}

/// An access token for a deputy as this server hands it out at login or refresh: entered into its
/// verified-token cache (what a deputy's app has when it refreshes its token and then checks in).
pub fn issued_deputy_token(state: &lvzhi::state::AppState, deputy: i64) -> Result<String, String> {
    let claims = deputy_claims(state, deputy);
    let token = lvzhi::auth::sign_token(&state.keys, &claims)?;
    state.tokens.issued(&token, &claims);
    Ok(token)
}

fn deputy_claims(state: &lvzhi::state::AppState, deputy: i64) -> lvzhi::auth::AccessClaims {
    let now = chrono::Utc::now().timestamp();
    lvzhi::auth::AccessClaims {
        iss: state.settings.jwt_issuer.clone(),
        aud: state.settings.jwt_audience.clone(),
        sub: (1_000_000 + deputy).to_string(),
        exp: now + 3600,
        iat: now,
        jti: format!("bench-{deputy}"),
        typ: lvzhi::auth::ACCESS.into(),
        role: "deputy".into(),
        rgn: None,
        rp: None,
        nbf: None,
        stn: vec![],
        dep: Some(deputy),
        unit: None,
        scope: None,
        sid: None,
    }
}

/// CPU seconds used so far by this process's threads whose name starts with `prefix` (Linux).
pub fn thread_cpu(prefix: &str) -> f64 {
    let mut total = 0u64;
    for t in std::fs::read_dir("/proc/self/task").into_iter().flatten().flatten() {
        let comm = std::fs::read_to_string(t.path().join("comm")).unwrap_or_default();
        if !comm.starts_with(prefix) {
            continue;
        }
        let stat = std::fs::read_to_string(t.path().join("stat")).unwrap_or_default();
        // Fields after the ")" that closes the name: state is the 1st, utime the 12th, stime the 13th.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        let f: Vec<&str> = rest.split_whitespace().collect();
        total += f.get(11).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
            + f.get(12).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    }
    total as f64 / 100.0
}

/// The machine's (busy, idle) jiffies since boot, from the first line of `/proc/stat`.
pub fn machine_jiffies() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let f: Vec<u64> =
        stat.lines().next().unwrap_or("").split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal
    let idle = f.get(3).copied().unwrap_or(0) + f.get(4).copied().unwrap_or(0);
    (f.iter().take(8).sum::<u64>() - idle, idle)
}

/// `BENCH_SCALE=N`: a congress of N more deputies with a year of duty (`lvzhi seed-scale`) and a
/// national admin to reach it; answers its first city and the set-up row.
pub async fn seed_scale(
    state: &lvzhi::state::AppState,
    scale_n: usize,
) -> Result<(Option<i64>, Option<crate::Row>), String> {
    let (mut scale_city, mut seeded) = (None, None);
    if scale_n > 0 {
        let t0 = std::time::Instant::now();
        let s = lvzhi::demo::seed_scale(state, scale_n, 12).await.map_err(|e| e.detail.to_string())?;
        let secs = t0.elapsed().as_secs_f64();
        eprintln!("seed-scale {scale_n}: {s:?}");
        scale_city = s.cities.first().copied();
        // The demo's admin serves the demo city only; the scale province needs a national one.
        lvzhi::demo::create_admin(state, "bench-national", lvzhi::demo::PASSWORD, None)
            .await
            .map_err(|e| e.detail.to_string())?;
        let name = format!(
            "set-up: seed-scale of {scale_n} deputies ({} check-ins, {} ledger entries, {} inbox rows)",
            s.checkins, s.entries, s.inbox_rows
        );
        seeded = Some(crate::once_row(name, s.entries, secs));
    }
    Ok((scale_city, seeded))
}
