//! The batch dialects of the fake gateway: the webhook's batch mode (an array of pushes,
//! answered one result per push), JPush's many registration ids and Huawei's many tokens (one
//! answer for the request, Huawei naming the dead tokens). A request is refused as a whole
//! (429 with `Retry-After: 120`, or 500) when any of its tokens is `busy-*` the first time or
//! `flaky-*` the first time; otherwise each token's fate is its own.

use super::{fate, record, Fate, Gateway};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};

/// The fates of a request's tokens, or the answer that refuses it as a whole.
async fn fates(g: &Gateway, tokens: &[String]) -> Result<Vec<Fate>, HttpResponse> {
    let mut out = vec![];
    for t in tokens {
        out.push(fate(g, t).await);
    }
    let first_time = |prefix: &str, f: &Fate| tokens.iter().zip(&out).any(|(t, x)| t.starts_with(prefix) && same(x, f));
    if first_time("busy-", &Fate::Busy) {
        return Err(HttpResponse::TooManyRequests().insert_header(("Retry-After", "120")).finish());
    }
    if first_time("flaky-", &Fate::Error) {
        return Err(HttpResponse::InternalServerError().body("oops"));
    }
    Ok(out)
}

fn same(a: &Fate, b: &Fate) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The webhook's batch mode: `[{"token", "dedup_id", …}, …]` → `{"results": [{"dedup_id", "status"}]}`
/// (a `garbled-*` push is left out of the results).
pub async fn webhook(g: &Gateway, req: &HttpRequest, body: &[u8], pushes: &[Value]) -> HttpResponse {
    let tokens: Vec<String> = pushes.iter().map(|p| p["token"].as_str().unwrap_or("").to_string()).collect();
    for p in pushes {
        record(g, "webhook", p["token"].as_str().unwrap_or(""), p["dedup_id"].as_str().unwrap_or(""), req, body);
    }
    let fates = match fates(g, &tokens).await {
        Ok(f) => f,
        Err(whole) => return whole,
    };
    let results: Vec<Value> = pushes
        .iter()
        .zip(fates)
        .filter_map(|(p, f)| {
            let status = match f {
                Fate::Ok => 200,
                Fate::Gone => 410,
                Fate::Fail => 403,
                Fate::Error => 500,
                Fate::Busy => 429,
                Fate::Garbled => return None,
            };
            Some(json!({"dedup_id": p["dedup_id"], "status": status, "error": if status == 200 { "" } else { "refused" }}))
        })
        .collect();
    HttpResponse::Ok().json(json!({"results": results}))
}

/// JPush with many registration ids: one answer (1011 when none is known any more).
pub async fn jpush(g: &Gateway, req: &HttpRequest, body: &[u8], v: &Value) -> HttpResponse {
    let tokens = strings(&v["audience"]["registration_id"]);
    for t in &tokens {
        record(g, "jpush", t, v["cid"].as_str().unwrap_or(""), req, body);
    }
    match fates(g, &tokens).await {
        Err(whole) => whole,
        Ok(f) if f.iter().all(|x| same(x, &Fate::Gone)) => HttpResponse::BadRequest()
            .json(json!({"error": {"code": 1011, "message": "cannot find user by this audience"}})),
        Ok(_) => HttpResponse::Ok().json(json!({"sendno": "0", "msg_id": "54043196"})),
    }
}

/// Huawei with many tokens: 80000000, 80100000 naming the dead ones, or 80300007 when all are.
pub async fn huawei(g: &Gateway, req: &HttpRequest, body: &[u8], v: &Value) -> HttpResponse {
    let tokens = strings(&v["message"]["token"]);
    for t in &tokens {
        record(g, "huawei", t, v["message"]["android"]["bi_tag"].as_str().unwrap_or(""), req, body);
    }
    let fates = match fates(g, &tokens).await {
        Ok(f) => f,
        Err(whole) => return whole,
    };
    let dead: Vec<&String> = tokens.iter().zip(&fates).filter(|(_, f)| same(f, &Fate::Gone)).map(|(t, _)| t).collect();
    if dead.len() == tokens.len() {
        return HttpResponse::Ok().json(json!({"code": "80300007", "msg": "All the tokens are invalid"}));
    }
    if dead.is_empty() {
        return HttpResponse::Ok().json(json!({"code": "80000000", "msg": "Success", "requestId": "2"}));
    }
    let msg = json!({"success": tokens.len() - dead.len(), "failure": dead.len(), "illegal_tokens": dead});
    HttpResponse::Ok().json(json!({"code": "80100000", "msg": msg.to_string(), "requestId": "3"}))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|t| t.as_str().map(String::from)).collect()).unwrap_or_default()
}

/// Whether a request carries more than one push (the batch dialects).
pub fn many(v: &Value) -> bool {
    v.as_array().is_some_and(|a| a.len() > 1)
}
