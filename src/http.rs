//! Small HTTP conventions shared by every capability: cursor pagination and ETag / If-Match.

use crate::error::{AppError, AppResult};
use actix_web::http::header;
use actix_web::HttpRequest;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const MAX_LIMIT: i64 = 200;
pub const DEFAULT_LIMIT: i64 = 50;

/// One page of a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// Opaque cursor from the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> AppResult<i64> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(l) if (1..=MAX_LIMIT).contains(&l) => Ok(l),
            Some(_) => Err(AppError::invalid_field(
                "limit",
                "out_of_range",
                format!("limit must be between 1 and {MAX_LIMIT}"),
            )),
        }
    }

    /// The id after which the page starts (0 = from the beginning).
    pub fn after(&self) -> AppResult<i64> {
        match &self.cursor {
            None => Ok(0),
            Some(c) => decode_cursor(c)
                .ok_or_else(|| AppError::invalid_field("cursor", "invalid_cursor", "the cursor is not valid")),
        }
    }
}

pub fn encode_cursor(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("id:{id}"))
}

fn decode_cursor(c: &str) -> Option<i64> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(c).ok()?;
    std::str::from_utf8(&raw).ok()?.strip_prefix("id:")?.parse().ok()
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
pub fn page<R, T>(mut rows: Vec<R>, limit: i64, id: impl Fn(&R) -> i64, map: impl FnMut(R) -> T) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| encode_cursor(id(r))) } else { None };
    Page { items: rows.into_iter().map(map).collect(), next_cursor }
}

pub fn etag(kind: &str, id: i64, version: i64) -> String {
    format!("\"{kind}-{id}-v{version}\"")
}

/// A JSON answer carrying the record's ETag.
pub fn with_etag<T: Serialize>(status: actix_web::http::StatusCode, etag: String, body: &T) -> actix_web::HttpResponse {
    actix_web::HttpResponse::build(status).insert_header((header::ETAG, etag)).json(body)
}

/// Where links printed or shown to the public point: `LVZHI_PUBLIC_BASE_URL`, or (development)
/// the address this request came to.
pub fn public_base(configured: Option<&str>, req: &HttpRequest) -> String {
    match configured {
        Some(b) => b.to_string(),
        None => {
            let ci = req.connection_info();
            format!("{}://{}", ci.scheme(), ci.host())
        }
    }
}

/// The `If-Match` header, if any (checked with [`check_if_match`] once the record is found and in scope).
pub fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers().get(header::IF_MATCH).map(|v| v.to_str().unwrap_or("\"invalid\"").trim().to_string())
}

/// 428 without If-Match, 412 when it names another version.
pub fn check_if_match(given: Option<&str>, current: &str) -> AppResult<()> {
    let given = given.ok_or_else(AppError::precondition_required)?;
    if given == "*" || given.split(',').any(|t| t.trim().trim_start_matches("W/") == current) {
        Ok(())
    } else {
        Err(AppError::precondition_failed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(42)), Some(42));
        assert_eq!(decode_cursor("!!"), None);
    }

    #[test]
    fn page_sets_cursor_only_when_more() {
        let p = page(vec![1, 2, 3], 2, |r| *r, |r| r);
        assert_eq!(p.items, vec![1, 2]);
        assert!(p.next_cursor.is_some());
        assert!(page(vec![1, 2], 2, |r| *r, |r| r).next_cursor.is_none());
    }

    #[test]
    fn if_match_compares_strong_and_weak() {
        assert!(check_if_match(Some("\"d-1-v2\""), "\"d-1-v2\"").is_ok());
        assert!(check_if_match(Some("W/\"d-1-v2\""), "\"d-1-v2\"").is_ok());
        assert_eq!(check_if_match(Some("\"d-1-v1\""), "\"d-1-v2\"").unwrap_err().status.as_u16(), 412);
        assert_eq!(check_if_match(None, "\"d-1-v2\"").unwrap_err().status.as_u16(), 428);
    }
}

/// One change of state of a record with a life (an opinion, a suggestion): who moved it from
/// where to where, when, and why.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatusChange {
    pub from_status: Option<String>,
    pub to_status: String,
    /// The actor's role: constituent, deputy, staff or unit.
    pub actor: String,
    pub note: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A stored event row: (from, to, actor role, note, at).
pub type StatusRow = (Option<String>, String, String, Option<String>, chrono::NaiveDateTime);

/// The history of a record from its stored event rows.
pub fn history(rows: Vec<StatusRow>) -> Vec<StatusChange> {
    rows.into_iter()
        .map(|e| StatusChange { from_status: e.0, to_status: e.1, actor: e.2, note: e.3, at: crate::db::utc(e.4) })
        .collect()
}

/// A rate with the number of cases it is taken over, so a small volume is seen as small.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Rate {
    /// 0–1 (three decimals), absent when nothing was counted.
    pub rate: Option<f64>,
    /// How many cases the rate is taken over.
    pub of: i64,
}

/// `n` of `of`.
pub fn rate(n: i64, of: i64) -> Rate {
    Rate { rate: (of > 0).then(|| (n as f64 / of as f64 * 1000.0).round() / 1000.0), of }
}

/// Years the congress records span (the first people's congresses to well past any term).
pub const YEARS: std::ops::RangeInclusive<i32> = 1949..=2200;

/// Deserializes a calendar year, refusing one outside [`YEARS`] (a query answers 400
/// `invalid_query`, a body 400 `malformed_json`).
pub fn year<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    let y = <i32 as serde::Deserialize>::deserialize(d)?;
    if YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(serde::de::Error::custom(format!("year {y} is outside 1949–2200")))
    }
}

/// [`year`] for an optional year.
pub fn year_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    year(d).map(Some)
}

/// A CSV upload's body whole: `text/csv` (or `application/csv`, `text/plain`: 415 otherwise), at
/// most `limit` bytes (413).
pub async fn read_csv(req: &HttpRequest, mut payload: actix_web::web::Payload, limit: usize) -> AppResult<Vec<u8>> {
    use crate::error::Code;
    use futures_util::StreamExt;
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !matches!(mime.as_str(), "text/csv" | "application/csv" | "text/plain") {
        return Err(AppError::new(Code::UnsupportedMediaType, "send the file as text/csv"));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::bad_request(Code::MalformedBody, "the upload was interrupted"))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::new(Code::PayloadTooLarge, format!("the file is larger than {limit} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
