//! `Idempotency-Key` for creations a flaky phone may retry: the same key with the same body gets
//! the first answer again (`Idempotent-Replayed: true`); the same key with another body is
//! refused (422 `idempotency_key_reused`). Keys are per account and kept [`KEEP_DAYS`] days.
//!
//! The key and its answer are stored in the same transaction as the change itself, so a crash
//! can never leave a change without its key or a key without its change. Only successful answers
//! are stored: a refused request changed nothing, and its retry is simply decided again. Two
//! retries racing each other meet at the key's primary key: the loser's transaction fails, and
//! run again it finds the winner's answer.

use crate::db::schema::idempotency_keys as k;
use crate::db::stamp::Stamp;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How long a key is remembered (well past the 72-hour offline window of check-ins).
pub const KEEP_DAYS: i64 = 7;

/// The key a request carries, with the hash of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdemKey {
    pub account: i64,
    pub key: String,
    pub hash: String,
}

impl IdemKey {
    /// The request's key, if it sent one (400 `invalid_idempotency_key` when it is malformed).
    pub fn from_request(req: &HttpRequest, account: i64, body: &impl serde::Serialize) -> AppResult<Option<IdemKey>> {
        let Some(raw) = req.headers().get("idempotency-key") else { return Ok(None) };
        let key = parse_key(raw.as_bytes())?;
        let hash = hex::encode(Sha256::digest(serde_json::to_vec(body).unwrap_or_default()));
        Ok(Some(IdemKey { account, key, hash }))
    }
}

/// An `Idempotency-Key` header's value: 1–128 visible ASCII characters once trimmed (400
/// `invalid_idempotency_key` otherwise).
pub fn parse_key(raw: &[u8]) -> AppResult<String> {
    let bad = || AppError::bad_request(Code::InvalidIdempotencyKey, "Idempotency-Key must be 1–128 visible characters");
    let key = std::str::from_utf8(raw).map_err(|_| bad())?.trim();
    if key.is_empty() || key.len() > 128 || !key.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(bad());
    }
    Ok(key.to_string())
}

/// A JSON answer as sent (and as remembered for a retry).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub replayed: bool,
}

impl Answer {
    pub fn json(status: StatusCode, v: &impl serde::Serialize) -> AppResult<Answer> {
        Ok(Answer { status, body: serde_json::to_string(v).map_err(AppError::internal)?, replayed: false })
    }

    pub fn into_response(self) -> HttpResponse {
        let mut r = HttpResponse::build(self.status);
        if self.replayed {
            r.insert_header(("Idempotent-Replayed", "true"));
        }
        r.content_type("application/json").body(self.body)
    }
}

fn reused() -> AppError {
    AppError::new(Code::IdempotencyKeyReused, "this Idempotency-Key was used with another request body")
}

/// The stored answers of `keys`, in order: `None` for a key not seen before, the replay for the
/// same body, 422 for another body. One query for all of them.
pub fn lookup_many(c: &mut AnyConnection, keys: &[&IdemKey]) -> AppResult<Vec<Option<AppResult<Answer>>>> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<StoredRow> = stored(c, keys)?;
    let mut found: HashMap<(i64, String), (String, i32, String)> =
        rows.into_iter().map(|(a, key, h, s, b)| ((a, key), (h, s, b))).collect();
    Ok(keys
        .iter()
        .map(|x| {
            found.remove(&(x.account, x.key.clone())).map(|(h, status, body)| {
                if h != x.hash {
                    return Err(reused());
                }
                Ok(Answer {
                    status: StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK),
                    body,
                    replayed: true,
                })
            })
        })
        .collect())
}

/// (account, key, request hash, status, body) of a remembered answer.
type StoredRow = (i64, String, String, i32, String);

/// The stored rows of exactly these (account, key) pairs: one probe of the primary key per pair.
/// (An `IN` list on each column made SQLite probe every account with every key: 4,096 probes
/// for a bulk of 64.) PostgreSQL joins the pairs through `unnest`, SQLite through `json_each`.
fn stored(c: &mut AnyConnection, keys: &[&IdemKey]) -> AppResult<Vec<StoredRow>> {
    use diesel::sql_types::{Array, BigInt, Bool, Text};
    let cols = (k::account_id, k::key, k::request_hash, k::status, k::body);
    Ok(match c {
        AnyConnection::Pg(pg) => {
            let accounts: Vec<i64> = keys.iter().map(|x| x.account).collect();
            let names: Vec<&str> = keys.iter().map(|x| x.key.as_str()).collect();
            let pairs = diesel::dsl::sql::<Bool>("(account_id, key) IN (SELECT * FROM unnest(")
                .bind::<Array<BigInt>, _>(accounts)
                .sql(", ")
                .bind::<Array<Text>, _>(names)
                .sql("))");
            k::table.filter(pairs).select(cols).load(pg)?
        }
        AnyConnection::Sqlite(sq) => {
            let pairs: Vec<(i64, &str)> = keys.iter().map(|x| (x.account, x.key.as_str())).collect();
            let json = serde_json::to_string(&pairs).map_err(AppError::internal)?;
            let of_pairs = diesel::dsl::sql::<Bool>("rowid IN (SELECT x.rowid FROM json_each(")
                .bind::<Text, _>(json)
                .sql(") j JOIN idempotency_keys x ON x.account_id = j.value ->> 0 AND x.key = j.value ->> 1)");
            k::table.filter(of_pairs).select(cols).load(sq)?
        }
    })
}

/// Remembers the answers of `keys` (inside the transaction that made them).
pub fn store_many(c: &mut AnyConnection, entries: &[(&IdemKey, &Answer)], now: NaiveDateTime) -> AppResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = entries
        .iter()
        .map(|(x, a)| {
            (
                k::account_id.eq(x.account),
                k::key.eq(x.key.as_str()),
                k::request_hash.eq(x.hash.as_str()),
                k::status.eq(a.status.as_u16() as i32),
                k::body.eq(a.body.as_str()),
                k::created_at.eq(Stamp(now)),
            )
        })
        .collect();
    crate::per_backend!(c, |c| diesel::insert_into(k::table).values(&rows).execute(c))?;
    Ok(())
}

/// Forgets keys older than [`KEEP_DAYS`]; returns how many.
pub fn purge(c: &mut AnyConnection, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::delete(k::table.filter(k::created_at.lt(now - chrono::Duration::days(KEEP_DAYS)))).execute(c)?)
}
