//! Reception scenarios: constituents submitting opinions at the stations (64 clients, each
//! request with an `Idempotency-Key`, at most five per constituent as the hourly limit allows),
//! and how long a unit's reply takes to reach the constituent's live stream.

use super::{http_row, load, Row};
use futures_util::StreamExt;
use lvzhi::state::AppState;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// `n` constituents with accounts (set-up, not measured); returns their account ids.
async fn constituents(state: &AppState, n: usize) -> Result<Vec<i64>, String> {
    make_constituents(state, n, "1770000").await
}

/// A few more, for the stream measurements.
async fn constituents_named(state: &AppState, n: usize) -> Result<Vec<i64>, String> {
    make_constituents(state, n, "1780000").await
}

pub async fn make_constituents(state: &AppState, n: usize, prefix: &'static str) -> Result<Vec<i64>, String> {
    let pii = state.pii.clone();
    lvzhi::db::run(&state.db, move |c| {
        use diesel::prelude::*;
        use lvzhi::db::schema::{accounts as a, constituents as k};
        use lvzhi::platform::pii::field;
        let t = "'2026-01-01 00:00:00'";
        let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default();
        for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
            let rows: Vec<String> = chunk
                .iter()
                .map(|i| format!("('constituent:{prefix}{i:04}', '!otp-only', 'constituent', 'bench {i}', '', false, 0, 1, {t}, {t})"))
                .collect();
            diesel::sql_query(format!(
                "INSERT INTO accounts (username, password_hash, role, display_name, scopes, disabled, failed_logins, version, created_at, updated_at) VALUES {}",
                rows.join(",")
            ))
            .execute(c)?;
            let names: Vec<String> = chunk.iter().map(|i| format!("constituent:{prefix}{i:04}")).collect();
            let ids: Vec<i64> = a::table.filter(a::username.eq_any(&names)).select(a::id).load(c)?;
            // Stored as the server stores them: sealed, with the keyed hash for lookups.
            let people: Vec<_> = ids
                .iter()
                .map(|id| {
                    let phone = format!("199{:08}", id);
                    (
                        k::account_id.eq(*id),
                        k::phone.eq(pii.seal(field::CONSTITUENT_PHONE, &phone)),
                        k::phone_hash.eq(Some(pii.phone_hash(&phone))),
                        k::consent_version.eq("2026-11"),
                        k::consented_at.eq(at),
                        k::created_at.eq(at),
                    )
                })
                .collect();
            lvzhi::per_backend!(&mut *c, |x| diesel::insert_into(k::table).values(&people).execute(x))?;
        }
        Ok(a::table.filter(a::role.eq("constituent")).filter(a::username.like(format!("constituent:{prefix}%"))).order(a::id).select(a::id).load(c)?)
    })
    .await
    .map_err(|e| e.to_string())
}

pub fn token(state: &AppState, account: i64, role: &str, unit: Option<i64>) -> Result<String, String> {
    let now = chrono::Utc::now().timestamp();
    let claims = lvzhi::auth::AccessClaims {
        iss: state.settings.jwt_issuer.clone(),
        aud: state.settings.jwt_audience.clone(),
        sub: account.to_string(),
        exp: now + 3600,
        iat: now,
        jti: format!("bench-{role}-{account}"),
        typ: lvzhi::auth::ACCESS.into(),
        role: role.into(),
        rgn: None,
        rp: None,
        nbf: None,
        stn: vec![],
        dep: None,
        unit,
        scope: None,
        sid: None,
    };
    lvzhi::auth::sign_token(&state.keys, &claims)
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let r = http.post(url).bearer_auth(token).json(&body).send().await.map_err(|e| e.to_string())?;
    let status = r.status();
    let v: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{url}: {status} {v}"));
    }
    Ok(v)
}

/// Waits on an SSE stream for an `opinion_status` event with this status.
async fn until_status(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buf: &mut String,
    status: &str,
) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(at) = buf.find(&format!("\"status\":\"{status}\"")) {
            buf.drain(..at + status.len());
            return true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.next()).await {
            Ok(Some(Ok(chunk))) => buf.push_str(&String::from_utf8_lossy(&chunk)),
            _ => return false,
        }
    }
}

/// Opinion submission under load, then reply-to-stream latency.
pub async fn scenarios(
    state: &AppState,
    addr: SocketAddr,
    admin: &str,
    requests: usize,
    time: Duration,
    hello: f64,
) -> Result<Vec<Row>, String> {
    let (base, http) = (format!("http://{addr}"), reqwest::Client::new());
    let codes = crate::setup::station_codes(&base, admin).await?;
    let people = constituents(state, requests.div_ceil(5) + 1).await?;
    let tokens: Vec<String> = people.iter().map(|a| token(state, *a, "constituent", None)).collect::<Result<_, _>>()?;
    let clients = 64;
    let (t2, c2) = (tokens.clone(), codes.clone());
    let make: load::MakeRequest = std::sync::Arc::new(move |n| {
        let body = format!(
            r#"{{"station_code":"{}","category":"urban_construction","title":"路灯不亮 {n}","content":"小区门口的路灯坏了，晚上很黑。","latitude":31.86,"longitude":117.28}}"#,
            c2[n % c2.len()]
        );
        load::post_json_keyed("/api/v1/opinions", &t2[(n / 5) % t2.len()], &format!("op-{n}"), &body)
    });
    let st = load::run_with(addr, make, clients, requests, time).await;
    let mut rows = vec![http_row(
        &format!("scenario: POST /api/v1/opinions ({clients} clients, keyed, ticket + event per opinion)"),
        &st,
        Some(("hello".into(), hello)),
    )];

    // A unit's reply reaching the constituent's stream: 20 cases, one after another.
    let unit_account: i64 = lvzhi::db::run(&state.db, |c| {
        use diesel::prelude::*;
        use lvzhi::db::schema::accounts as a;
        Ok(a::table.filter(a::username.eq("unit1")).select(a::id).first(c)?)
    })
    .await
    .map_err(|e| e.to_string())?;
    let unit = token(state, unit_account, "unit", Some(1))?;
    // Four constituents of their own (five opinions an hour each), five cases each.
    let owners = constituents_named(state, 4).await?;
    let mut lat = load::Stats::default();
    let t0 = Instant::now();
    for (k, owner) in owners.iter().enumerate() {
        let me = token(state, *owner, "constituent", None)?;
        let resp =
            http.get(format!("{base}/api/v1/me/events")).bearer_auth(&me).send().await.map_err(|e| e.to_string())?;
        let (mut stream, mut buf) = (resp.bytes_stream(), String::new());
        for i in 0..5 {
            let body = serde_json::json!({"station_code": codes[(k * 5 + i) % codes.len()], "category": "transport", "title": format!("公交站 {k}-{i}"), "content": "…"});
            let ticket = post(&http, &format!("{base}/api/v1/opinions"), &me, body).await?["ticket"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            post(&http, &format!("{base}/api/v1/opinions/{ticket}/accept"), admin, serde_json::json!({})).await?;
            post(&http, &format!("{base}/api/v1/opinions/{ticket}/forward"), admin, serde_json::json!({"unit_id": 1}))
                .await?;
            until_status(&mut stream, &mut buf, "forwarded").await;
            let sent = Instant::now();
            post(
                &http,
                &format!("{base}/api/v1/opinions/{ticket}/reply"),
                &unit,
                serde_json::json!({"body": "已安排处理。"}),
            )
            .await?;
            if until_status(&mut stream, &mut buf, "replied").await {
                lat.ok += 1;
                lat.latencies.push(sent.elapsed().as_micros() as u32);
            } else {
                lat.errors += 1;
            }
        }
    }
    lat.elapsed = t0.elapsed();
    lat.latencies.sort_unstable();
    rows.push(http_row("scenario: unit reply → constituent's SSE stream (latency from sending the reply)", &lat, None));
    Ok(rows)
}
