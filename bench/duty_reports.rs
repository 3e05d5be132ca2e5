//! 述职评议 under load: the sessions of a province at once, each with 200 attendees rating from
//! their phones within the same minute (`POST /api/v1/duty-reports/{id}/ratings` with the
//! session's rotating token, refreshed as the screen at the session refreshes it). Open loop at
//! the figure's pace (50 sessions × 200 a minute ≈ 167/s), then closed loop for the ceiling
//! ratio; afterwards every 201 must be one stored rating and a replay must be refused.

use crate::load;
use crate::reception::{make_constituents, token};
use crate::rows::{http_row, Row};
use crate::setup::call;
use lvzhi::state::AppState;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Attendees rating at each session.
const ATTENDEES: usize = 200;
/// The figure's pace: 50 sessions × 200 ratings within a minute.
const PER_SEC: f64 = 50.0 * ATTENDEES as f64 / 60.0;

/// `n` reports scheduled a minute ago at the demo's stations, drafted, submitted and approved:
/// their sessions are open now. Returns the reports' ids.
async fn open_sessions(state: &AppState, base: &str, admin: &str, n: usize) -> Result<Vec<i64>, String> {
    let http = reqwest::Client::new();
    let at = chrono::Utc::now() - chrono::Duration::minutes(1);
    let mut items = vec![];
    let mut terms = vec![];
    for d in 1..=n as i64 {
        let dep = crate::setup::get_json(&http, &format!("{base}/api/v1/deputies/{d}"), admin).await?;
        let term = dep["seats"][0]["term"].as_i64().ok_or_else(|| format!("deputy {d} has no seat"))?;
        terms.push(term);
        items.push(json!({"deputy_id": d, "term": term, "at": at.to_rfc3339(), "station_id": (d - 1) % 20 + 1,
            "electoral_unit": "选区", "representatives": 0}));
    }
    let post = reqwest::Method::POST;
    let ids = call(&http, post.clone(), format!("{base}/api/v1/duty-reports/schedule"), admin, json!({"items": items}))
        .await?;
    let ids: Vec<i64> = ids.as_array().map(|a| a.iter().filter_map(|v| v.as_i64()).collect()).unwrap_or_default();
    for (i, (id, term)) in ids.iter().zip(terms).enumerate() {
        let me = crate::setup::deputy_token(state, i as i64 + 1)?;
        let body = json!({"term": term, "body": "一年来，我参加接待，提出建议。"});
        call(&http, post.clone(), format!("{base}/api/v1/me/duty-reports"), &me, body).await?;
        call(&http, post.clone(), format!("{base}/api/v1/me/duty-reports/{id}/submit"), &me, json!({})).await?;
        call(&http, post.clone(), format!("{base}/api/v1/duty-reports/{id}/approve"), admin, json!({})).await?;
    }
    Ok(ids)
}

/// The sessions' current tokens, as the screens at the sessions show them.
async fn codes(http: &reqwest::Client, base: &str, admin: &str, ids: &[i64]) -> Result<Vec<String>, String> {
    let mut out = vec![];
    for id in ids {
        let c = crate::setup::get_json(http, &format!("{base}/api/v1/duty-reports/{id}/session-code"), admin).await?;
        out.push(c["token"].as_str().ok_or_else(|| format!("no session code: {c}"))?.to_string());
    }
    Ok(out)
}

fn rating(ids: Arc<Vec<i64>>, codes: Arc<RwLock<Vec<String>>>, people: Arc<Vec<String>>) -> load::MakeRequest {
    Arc::new(move |n| {
        let s = n % ids.len();
        let code = codes.read().map(|c| c[s].clone()).unwrap_or_default();
        let verdict = ["satisfied", "basically_satisfied", "unsatisfied"][n % 3];
        let comment = if n % 5 == 0 { r#","comment":"讲得实在，希望多来社区""# } else { "" };
        let body = format!(r#"{{"token":"{code}","verdict":"{verdict}"{comment}}}"#);
        load::post_json(&format!("/api/v1/duty-reports/{}/ratings", ids[s]), &people[n % people.len()], &body)
    })
}

/// The open-loop and closed-loop rating rows and the check that nothing was lost or doubled.
pub async fn scenarios(
    state: &AppState,
    addr: SocketAddr,
    admin: &str,
    quick: bool,
    ins_rate: f64,
) -> Result<Vec<Row>, String> {
    let (base, http) = (format!("http://{addr}"), reqwest::Client::new());
    let sessions = if quick { 10 } else { 50 };
    let total = sessions * ATTENDEES;
    let ids = Arc::new(open_sessions(state, &base, admin, sessions).await?);
    let current = Arc::new(RwLock::new(codes(&http, &base, admin, &ids).await?));
    // The screens refresh their code every 10 s (it rotates every 30 s).
    let refresher = {
        let (http, base, admin, ids, current) =
            (http.clone(), base.clone(), admin.to_string(), ids.clone(), current.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                if let (Ok(fresh), Ok(mut c)) = (codes(&http, &base, &admin, &ids).await, current.write()) {
                    *c = fresh;
                }
            }
        })
    };
    let mut people = vec![];
    for prefix in ["1790000", "1791000"] {
        let accounts = make_constituents(state, total, prefix).await?;
        people.push(Arc::new(
            accounts.iter().map(|a| token(state, *a, "constituent", None)).collect::<Result<Vec<_>, _>>()?,
        ));
    }
    let clients = 64;
    let limit = Duration::from_secs_f64(total as f64 / PER_SEC) + Duration::from_secs(30);
    let paced =
        load::run_paced(addr, rating(ids.clone(), current.clone(), people[0].clone()), clients, total, PER_SEC, limit)
            .await;
    let closed =
        load::run_with(addr, rating(ids.clone(), current.clone(), people[1].clone()), clients, total, limit).await;
    // Replays of the first minute's ratings (a phone retrying): each must be refused.
    let mut accepted_replays = 0;
    let replays = ATTENDEES.min(total);
    for (n, person) in people[0].iter().enumerate().take(replays) {
        let s = n % ids.len();
        let code = current.read().map(|c| c[s].clone()).unwrap_or_default();
        let r = http
            .post(format!("{base}/api/v1/duty-reports/{}/ratings", ids[s]))
            .bearer_auth(person)
            .json(&json!({"token": code, "verdict": "satisfied"}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        let v: serde_json::Value = r.json().await.unwrap_or_default();
        if status != 409 || v["code"] != "already_rated" {
            accepted_replays += 1;
        }
    }
    refresher.abort();
    let stored: i64 = lvzhi::db::run(&state.db, |c| {
        use diesel::prelude::*;
        use lvzhi::db::schema::duty_report_ratings as r;
        Ok(r::table.count().get_result(c)?)
    })
    .await
    .map_err(|e| e.to_string())?;
    let answered = (paced.ok + closed.ok) as i64;
    let check = Row {
        name: format!(
            "scenario: ratings stored ({stored}) against 201 answers ({answered}); {replays} replays answered 409 already_rated (errors: lost + doubled + replays taken)"
        ),
        ops: stored as usize,
        rate: 0.0,
        p50: None,
        p99: None,
        errors: stored.abs_diff(answered) as usize + accepted_replays,
        ceiling: None,
    };
    Ok(vec![
        http_row(
            &format!(
                "scenario: POST /api/v1/duty-reports/{{id}}/ratings, {sessions} sessions × {ATTENDEES} attendees, open loop at {PER_SEC:.0}/s (latency from when due)"
            ),
            &paced,
            None,
        ),
        http_row(
            &format!("scenario: the same ratings, closed loop ({clients} clients, one session token check + one insert each)"),
            &closed,
            Some(("INSERT".into(), ins_rate)),
        ),
        check,
    ])
}
