//! `Idempotency-Key` for creations a flaky phone may retry: the same key with the same body gets
//! the first answer again; the same key with another body is refused (422); a retry while the
//! first request is still running gets 409. Keys are per account.

use crate::db::schema::idempotency_keys as k;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpRequest;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

pub enum Begin {
    /// Run the request, then call [`finish`].
    Proceed(String),
    /// The stored answer of the first request.
    Replay(StatusCode, String),
    /// No `Idempotency-Key` header.
    Absent,
}

pub fn hash(body: &impl serde::Serialize) -> String {
    hex::encode(Sha256::digest(serde_json::to_vec(body).unwrap_or_default()))
}

fn lookup(conn: &mut AnyConnection, account: i64, key: &str) -> AppResult<Option<(String, i32, String)>> {
    Ok(k::table.filter(k::account_id.eq(account)).filter(k::key.eq(key)).select((k::request_hash, k::status, k::body)).first(conn).optional()?)
}

/// Claims the key for this request, or tells what to answer instead.
pub async fn begin(state: &AppState, req: &HttpRequest, account: i64, body_hash: String) -> AppResult<Begin> {
    let Some(raw) = req.headers().get("idempotency-key") else { return Ok(Begin::Absent) };
    let key = raw.to_str().unwrap_or("").trim().to_string();
    if key.is_empty() || key.len() > 128 {
        return Err(AppError::bad_request("invalid_idempotency_key", "Idempotency-Key must be 1–128 visible characters"));
    }
    let now = state.now();
    let k2 = key.clone();
    db::tx(&state.db, move |c| match lookup(c, account, &k2)? {
        Some((h, _, _)) if h != body_hash => {
            Err(AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused", "this Idempotency-Key was used with another request body"))
        }
        Some((_, 0, _)) => Err(AppError::conflict("idempotency_in_progress", "the first request with this Idempotency-Key is still running")),
        Some((_, status, body)) => Ok(Begin::Replay(StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK), body)),
        None => {
            diesel::insert_into(k::table)
                .values((k::account_id.eq(account), k::key.eq(&k2), k::request_hash.eq(&body_hash), k::status.eq(0), k::body.eq(""), k::created_at.eq(now)))
                .execute(c)
                .map_err(|e| match AppError::from(e) {
                    err if err.code == "already_exists" => {
                        AppError::conflict("idempotency_in_progress", "the first request with this Idempotency-Key is still running")
                    }
                    err => err,
                })?;
            Ok(Begin::Proceed(k2))
        }
    })
    .await
}

/// Stores the answer (or forgets the key after a server error, so a retry runs again).
pub async fn finish(state: &AppState, account: i64, key: String, status: StatusCode, body: String) -> AppResult<()> {
    db::run(&state.db, move |c| {
        let target = k::table.filter(k::account_id.eq(account)).filter(k::key.eq(&key));
        if status.is_server_error() {
            diesel::delete(target).execute(c)?;
        } else {
            diesel::update(target).set((k::status.eq(status.as_u16() as i32), k::body.eq(&body))).execute(c)?;
        }
        Ok(())
    })
    .await
}

/// Runs `f` under the request's Idempotency-Key (if any) and answers JSON.
pub async fn run<T, F, Fut>(state: &AppState, req: &HttpRequest, account: i64, body: &impl serde::Serialize, f: F) -> AppResult<actix_web::HttpResponse>
where
    T: serde::Serialize,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<(StatusCode, T)>>,
{
    let key = match begin(state, req, account, hash(body)).await? {
        Begin::Replay(status, body) => {
            let ct = if status.as_u16() >= 400 { "application/problem+json" } else { "application/json" };
            return Ok(actix_web::HttpResponse::build(status).insert_header(("Idempotent-Replayed", "true")).content_type(ct).body(body));
        }
        Begin::Proceed(k) => Some(k),
        Begin::Absent => None,
    };
    let result = f().await;
    let (status, text) = match &result {
        Ok((s, v)) => (*s, serde_json::to_string(v).unwrap_or_default()),
        Err(e) => (e.status, serde_json::to_string(&e.problem()).unwrap_or_default()),
    };
    if let Some(k) = key {
        finish(state, account, k, status, text.clone()).await?;
    }
    let (status, _) = result?;
    Ok(actix_web::HttpResponse::build(status).content_type("application/json").body(text))
}
