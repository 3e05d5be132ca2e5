//! Consultations under load: the city's staff publish a short questionnaire to every deputy under
//! the city (60,400 with `BENCH_IMPORT=60000`), then 10,000 of them answer within a minute (open
//! loop at 167/s, latency from when each answer was due), the same answers are sent again in a
//! closed loop (each replaces the last) for the ratio to the INSERT ceiling; every answer must be
//! stored once. Then the answers are topped up to 60,000 and staff read the results, cross-
//! tabulated by level.

use crate::load;
use crate::rows::{http_row, once_row, Row};
use crate::setup::{call, deputy_token};
use lvzhi::state::AppState;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ANSWERS: usize = 10_000;
const RESULTS_OVER: usize = 60_000;
const PER_SEC: f64 = ANSWERS as f64 / 60.0;

/// Publishes the city's questionnaire through the API: (id, deputies reached).
async fn publish(base: &str, admin: &str, city: i64) -> Result<(i64, i64), String> {
    let http = reqwest::Client::new();
    let now = chrono::Utc::now();
    let body = json!({
        "region_id": city, "title": "城市更新满意度调查（压测）", "kind": "plan", "text": "一、总体目标\n完成老旧小区改造。\n二、实施步骤\n分三年推进。",
        "questions": [
            {"kind": "single", "text": "您是否赞成三年完成改造？", "options": ["赞成", "不赞成", "说不清"], "required": true},
            {"kind": "multiple", "text": "最需要改造的设施", "options": ["道路", "管网", "电梯", "停车"]},
            {"kind": "scale", "text": "总体评价（1-5）", "required": true}
        ],
        "opens_at": (now - chrono::Duration::minutes(1)).to_rfc3339(), "closes_at": (now + chrono::Duration::days(7)).to_rfc3339(),
        "audience": {"regions": [city]}
    });
    let post = |url: String, b: serde_json::Value| call(&http, reqwest::Method::POST, url, admin, b);
    let id = post(format!("{base}/api/v1/consultations"), body).await?["id"].as_i64().ok_or("no consultation")?;
    let v = post(format!("{base}/api/v1/consultations/{id}/publish"), json!({})).await?;
    Ok((id, v["reached"].as_i64().unwrap_or_default()))
}

fn answer(path: Arc<String>, tokens: Arc<Vec<String>>) -> load::MakeRequest {
    Arc::new(move |n| {
        let body = format!(
            r#"{{"answers":[{{"question":1,"choice":{}}},{{"question":2,"choices":[{}]}},{{"question":3,"scale":{}}}]}}"#,
            n % 3,
            n % 4,
            n % 5 + 1
        );
        load::put_json(&path, &tokens[n % tokens.len()], &body)
    })
}

/// (participation rows, answer rows) of the consultation.
async fn stored(state: &AppState, id: i64) -> Result<(i64, i64), String> {
    lvzhi::db::run(&state.db, move |c| {
        use diesel::prelude::*;
        use lvzhi::db::schema::{consultation_answers as a, consultation_participation as p};
        let n: i64 = p::table.filter(p::consultation_id.eq(id)).count().get_result(c)?;
        let m: i64 = a::table.filter(a::consultation_id.eq(id)).count().get_result(c)?;
        Ok((n, m))
    })
    .await
    .map_err(|e| e.to_string())
}

/// Tops the answers up to `total` (synthetic respondents, levels spread), in one transaction.
async fn top_up(state: &AppState, id: i64, from: usize, total: usize) -> Result<(), String> {
    lvzhi::db::tx(&state.db, move |c| {
        use lvzhi::consultations::seeding::{insert_answer, take_part, NewAnswer};
        for n in from..total {
            let (who, key) = (format!("x:{n}"), format!("bench-{id}-{n}"));
            let answers = format!(r#"{{"1":{},"2":[{}],"3":{}}}"#, n % 3, n % 4, n % 5 + 1);
            take_part(c, id, &who)?;
            let level = ["city", "county", "township"][n % 3];
            insert_answer(
                c,
                id,
                &NewAnswer { key: &key, respondent: Some(&who), level, region_path: None, answers: &answers },
            )?;
        }
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())
}

pub async fn scenarios(
    state: &AppState,
    addr: SocketAddr,
    admin: &str,
    city: i64,
    quick: bool,
    ins_rate: f64,
) -> Result<Vec<Row>, String> {
    let base = format!("http://{addr}");
    let t0 = Instant::now();
    let (id, reached) = publish(&base, admin, city).await?;
    let published = once_row(
        format!("set-up: a questionnaire published to the city ({reached} deputies reached, a notice to each)"),
        reached as usize,
        t0.elapsed().as_secs_f64(),
    );
    let want = if quick { 500 } else { ANSWERS };
    let deputies = lvzhi::db::run(&state.db, move |c| {
        let path = lvzhi::org::region_path(c, city)?.unwrap_or_default();
        let mut ids = lvzhi::org::deputies_matching(c, &path, None, None, None)?;
        ids.sort_unstable();
        ids.truncate(want);
        Ok(ids)
    })
    .await
    .map_err(|e| e.to_string())?;
    let tokens = Arc::new(deputies.iter().map(|d| deputy_token(state, *d)).collect::<Result<Vec<_>, _>>()?);
    let n = tokens.len();
    let path = Arc::new(format!("/api/v1/consultations/{id}/answers"));
    let per_sec = if quick { 50.0 } else { PER_SEC };
    let limit = Duration::from_secs_f64(n as f64 / per_sec) + Duration::from_secs(30);
    let paced = load::run_paced(addr, answer(path.clone(), tokens.clone()), 64, n, per_sec, limit).await;
    let again = load::run_with(addr, answer(path, tokens), 64, n, limit).await;
    let (took_part, kept) = stored(state, id).await?;
    let check = Row {
        name: format!("scenario: answers kept ({kept}) and participants ({took_part}) against {n} deputies answering (errors: lost + doubled)"),
        ops: kept as usize,
        rate: 0.0,
        p50: None,
        p99: None,
        errors: (kept as usize).abs_diff(n) + (took_part as usize).abs_diff(n),
        ceiling: None,
    };
    let total = if quick { 2_000 } else { RESULTS_OVER };
    top_up(state, id, n, total).await?;
    let results = format!("/api/v1/consultations/{id}/results?by=level");
    let read =
        load::run(addr, load::get(&results, Some(admin)), 1, if quick { 3 } else { 10 }, Duration::from_secs(120))
            .await;
    Ok(vec![
        published,
        http_row(&format!("scenario: PUT /api/v1/consultations/{{id}}/answers, {n} deputies, open loop at {per_sec:.0}/s (latency from when due)"), &paced, None),
        http_row("scenario: the same answers again, closed loop (64 clients; each replaces the last)", &again, Some(("INSERT".into(), ins_rate))),
        check,
        http_row(&format!("scenario: GET …/results?by=level over {total} answers (1 client)"), &read, None),
    ])
}
