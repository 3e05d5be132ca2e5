//! 民生实事项目票决 under load: a township congress of the imported deputies holds its vote —
//! 500 deputies checked in to the session vote within 60 seconds (open loop, latency from when
//! each vote was due), then the vote is closed and its tally of 500 ballots published in one
//! request; the published tally must hold every 201 once and recount to its digest.

use crate::load;
use crate::rows::{http_row, once_row, Row};
use crate::setup::{deputy_token, get_json};
use lvzhi::state::AppState;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const VOTERS: usize = 500;
const CANDIDATES: usize = 5;
const PLACE: (f64, f64) = (31.8206, 117.2272);

/// A POST through [`crate::setup::call`].
async fn call(http: &reqwest::Client, url: String, token: &str, body: Value) -> Result<Value, String> {
    crate::setup::call(http, reqwest::Method::POST, url, token, body).await
}

/// The township 340104001 (the CSV import's first) and up to `n` of its seated deputies.
async fn township(state: &AppState, base: &str, admin: &str, n: usize) -> Result<(i64, Vec<i64>), String> {
    let http = reqwest::Client::new();
    let regions = get_json(&http, &format!("{base}/api/v1/regions?limit=200"), admin).await?;
    let region = regions["items"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["code"] == "340104001"))
        .and_then(|r| r["id"].as_i64())
        .ok_or("no township 340104001")?;
    let deputies = lvzhi::db::run(&state.db, move |c| {
        let path = lvzhi::org::region_path(c, region)?.unwrap_or_default();
        let mut ids = lvzhi::org::deputies_matching(c, &path, None, None, None)?;
        ids.sort_unstable();
        ids.truncate(n);
        Ok(ids)
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok((region, deputies))
}

/// A round of the township with five candidates on the ballot, its vote open at a session
/// under way, every voter checked in: (round, candidates).
async fn open_round(base: &str, admin: &str, region: i64, tokens: &[String]) -> Result<(i64, Vec<i64>), String> {
    let http = reqwest::Client::new();
    let r = call(
        &http,
        format!("{base}/api/v1/project-rounds"),
        admin,
        json!({"region_id": region, "year": 2027, "title": "2027年民生实事项目"}),
    )
    .await?;
    let id = r["id"].as_i64().ok_or("no round")?;
    let mut candidates = vec![];
    for i in 0..CANDIDATES {
        let body = json!({"title": format!("民生实事候选项目{i}"), "description": "新建社区养老服务站。", "budget_yuan": 1_000_000});
        let v = call(&http, format!("{base}/api/v1/project-rounds/{id}/candidates"), admin, body).await?;
        candidates =
            v["candidates"].as_array().map(|a| a.iter().filter_map(|c| c["id"].as_i64()).collect()).unwrap_or_default();
    }
    call(&http, format!("{base}/api/v1/project-rounds/{id}/screen"), admin, json!({})).await?;
    let setup = json!({"candidate_ids": candidates, "adopt_count": 3, "max_approvals": 3, "adoption_rule": "cast"});
    let put = http.put(format!("{base}/api/v1/project-rounds/{id}/ballot")).bearer_auth(admin).json(&setup);
    put.send().await.map_err(|e| e.to_string())?.error_for_status().map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    let event = json!({"kind": "meeting", "title": "乡镇人民代表大会", "region_id": region, "venue": "镇政府会议室",
        "latitude": PLACE.0, "longitude": PLACE.1, "starts_at": (now - chrono::Duration::minutes(5)).to_rfc3339(),
        "ends_at": (now + chrono::Duration::hours(4)).to_rfc3339()});
    let event = call(&http, format!("{base}/api/v1/events"), admin, event).await?["id"].as_i64().ok_or("no event")?;
    call(&http, format!("{base}/api/v1/project-rounds/{id}/open"), admin, json!({"event_id": event})).await?;
    for t in tokens {
        // The code rotates: each deputy scans the one on the screen at that moment.
        let qr = get_json(&http, &format!("{base}/api/v1/events/{event}/qr"), admin).await?["token"].clone();
        let b = json!({"event_id": event, "token": qr, "latitude": PLACE.0, "longitude": PLACE.1, "accuracy_m": 20});
        let ci = call(&http, format!("{base}/api/v1/checkins"), t, b).await?;
        // A deputy checked in at a station a moment ago (the check-in scenarios) is held for
        // review as an impossible journey: staff at the hall confirm them.
        if ci["status"] != "accepted" {
            let id = ci["id"].as_i64().ok_or("no check-in id")?;
            call(&http, format!("{base}/api/v1/checkins/{id}/review"), admin, json!({"decision": "approve"})).await?;
        }
    }
    Ok((id, candidates))
}

/// The vote at its pace, the closing, and the check of the published tally.
pub async fn scenarios(state: &AppState, addr: SocketAddr, admin: &str, quick: bool) -> Result<Vec<Row>, String> {
    let base = format!("http://{addr}");
    let (region, deputies) = township(state, &base, admin, VOTERS).await?;
    if deputies.len() < VOTERS {
        return Err(format!("the township has {} deputies; the scenario needs {VOTERS}", deputies.len()));
    }
    let tokens: Vec<String> = deputies.iter().map(|d| deputy_token(state, *d)).collect::<Result<_, _>>()?;
    let (round, candidates) = open_round(&base, admin, region, &tokens).await?;
    let window = if quick { 10.0 } else { 60.0 };
    let per_sec = VOTERS as f64 / window;
    let (tokens, cands) = (Arc::new(tokens), Arc::new(candidates));
    let make: load::MakeRequest = Arc::new(move |n| {
        let choices: Vec<String> = cands
            .iter()
            .enumerate()
            .map(|(i, c)| format!(r#""{c}":"{}""#, if (i + n) % CANDIDATES < 3 { "approve" } else { "oppose" }))
            .collect();
        let body = format!(r#"{{"choices":{{{}}}}}"#, choices.join(","));
        load::post_json(&format!("/api/v1/project-rounds/{round}/votes"), &tokens[n], &body)
    });
    let limit = Duration::from_secs_f64(window + 30.0);
    let votes = load::run_paced(addr, make, 64, VOTERS, per_sec, limit).await;
    let t0 = Instant::now();
    let http = reqwest::Client::new();
    let published = call(&http, format!("{base}/api/v1/project-rounds/{round}/close"), admin, json!({})).await?;
    let closing = t0.elapsed().as_secs_f64();
    let ballots = published["tally"]["ballots"].as_array().map(Vec::len).unwrap_or(0);
    let doc: lvzhi::projects::PublishedTally = serde_json::from_value(published).map_err(|e| e.to_string())?;
    let recounts = lvzhi::projects::verify_tally(&doc.tally, &doc.digest).is_ok();
    let mut check = once_row(
        format!("scenario: the published tally holds {ballots} ballots for {} votes answered 201, recounts to its digest: {recounts} (errors: lost + doubled + a failed recount)", votes.ok),
        ballots,
        1.0,
    );
    (check.p50, check.rate) = (None, 0.0);
    check.errors = ballots.abs_diff(votes.ok) + usize::from(!recounts);
    Ok(vec![
        http_row(
            &format!("scenario: POST /api/v1/project-rounds/{{id}}/votes, {VOTERS} deputies present within {window:.0} s (open loop, latency from when due)"),
            &votes,
            None,
        ),
        once_row(format!("scenario: POST /api/v1/project-rounds/{{id}}/close — shuffle, settle and publish {ballots} ballots (p50 = wall time)"), 1, closing),
        check,
    ])
}
