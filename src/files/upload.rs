//! Receiving and serving files over HTTP, for every capability that keeps attachments: the part
//! named `file` of a multipart upload is streamed to storage with the size limit, its type read
//! from the content and checked against its name, its SHA-256 kept; a download streams it back
//! with a safe `Content-Disposition` and `nosniff`.

use super::{rules, PutError, Stored};
use crate::error::{AppError, AppResult, Code};
use crate::state::AppState;
use actix_multipart::Multipart;

use actix_web::{web, HttpRequest, HttpResponse};
use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    /// Read from the content.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes, to check a download.
    pub sha256: String,
    /// A signed download link (no bearer token needed), valid until `url_expires_at`.
    pub url: String,
    pub url_expires_at: DateTime<Utc>,
}

/// The upload form: one part named `file`, with a file name.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// The view of a stored file with a fresh signed link: `link` is (link kind, the route under
/// `/api/v1/files/`), `file` is (id, name, content type, size, SHA-256).
pub fn view(
    keys: &crate::auth::KeySet,
    link: (&str, &str),
    now: i64,
    file: (i64, String, String, i64, String),
) -> AttachmentView {
    let exp = now + super::links::LINK_SECS;
    let (id, file_name, content_type, size_bytes, sha256) = file;
    AttachmentView {
        url: format!("/api/v1/files/{}/{id}?{}", link.1, super::links::sign(keys, link.0, id, exp)),
        url_expires_at: DateTime::from_timestamp(exp, 0).unwrap_or_default(),
        id,
        file_name,
        content_type,
        size_bytes,
        sha256,
    }
}

/// A file received and stored.
pub struct Received {
    pub name: String,
    pub content_type: &'static str,
    pub size: i64,
    pub sha256: String,
    /// Where it is stored (delete it if the row that points at it is not written).
    pub key: String,
}

fn too_large(limit: usize) -> AppError {
    AppError::new(Code::PayloadTooLarge, format!("an attachment may have at most {limit} bytes"))
}

fn not_multipart() -> AppError {
    AppError::new(Code::UnsupportedMediaType, "send multipart/form-data with a part named `file`")
}

/// The part named `file` of a multipart upload (the form is kept alive beside it): a declared
/// length over `limit` → 413, not multipart → 415, no such part → 422.
async fn file_part(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> AppResult<(Multipart, actix_multipart::Field)> {
    let declared =
        req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit + 64 * 1024) {
        return Err(too_large(limit));
    }
    let mut form = Multipart::new(req.headers(), payload);
    loop {
        match form.try_next().await {
            Ok(Some(f)) if f.name() == Some("file") => return Ok((form, f)),
            Ok(Some(mut other)) => while let Some(_chunk) = other.next().await {},
            Ok(None) => return Err(AppError::invalid_field("file", "required", "a part named `file`")),
            Err(_) => return Err(not_multipart()),
        }
    }
}

/// Receives the part named `file` (PDF, PNG, JPEG, Word, Excel, PowerPoint; too large → 413, any
/// other type → 415) and stores it under `prefix/<uuid>`.
pub async fn receive(state: &AppState, req: &HttpRequest, payload: web::Payload, prefix: &str) -> AppResult<Received> {
    let limit = state.settings.max_attachment_bytes;
    let (_form, mut field) = file_part(req, payload, limit).await?;
    // `filename*=UTF-8''…` (RFC 5987) when given, else `filename`.
    let raw_name = field
        .content_disposition()
        .and_then(|d| {
            d.get_filename_ext()
                .map(|e| String::from_utf8_lossy(&e.value).into_owned())
                .or_else(|| d.get_filename().map(str::to_string))
        })
        .unwrap_or_default();
    let name = rules::clean_name(&raw_name)
        .ok_or_else(|| AppError::invalid_field("file", "file_name_required", "the part needs a file name"))?;
    let mut head = BytesMut::new();
    while head.len() < rules::SNIFF_BYTES {
        match field.next().await {
            Some(Ok(b)) => head.extend_from_slice(&b),
            Some(Err(e)) => return Err(AppError::bad_request(Code::InvalidRequest, e.to_string())),
            None => break,
        }
    }
    let content_type = rules::sniff(&head, &name).map_err(|m| AppError::new(Code::UnsupportedMediaType, m))?;
    let key = format!("{prefix}/{}", uuid::Uuid::new_v4().simple());
    let stored = match state.files.put(&key, Bytes::from(head), field, limit as u64).await {
        Ok(s) => s,
        Err(PutError::TooLarge) => return Err(too_large(limit)),
        Err(PutError::Client(e)) => return Err(AppError::bad_request(Code::InvalidRequest, e)),
        Err(PutError::Store(e)) => return Err(AppError::internal(format!("storing an attachment: {e}"))),
    };
    Ok(Received { name, content_type, size: stored.size as i64, sha256: stored.sha256, key })
}

/// Streams a stored file: (storage key, file name, content type, size, SHA-256).
pub async fn serve(
    state: &AppState,
    key: &str,
    name: &str,
    content_type: &str,
    size: i64,
    sha256: &str,
) -> AppResult<HttpResponse> {
    let body = state.files.get(key).await.map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("content-disposition", disposition(name)))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header(("cache-control", "private, max-age=600"))
        .insert_header(("x-content-sha256", sha256))
        .no_chunking(size as u64)
        .streaming(body.map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))))
}

/// `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987).
fn disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Reads the part named `file` of a small upload whole (a photo to clean before it is stored):
/// more than `limit` bytes → 413, not multipart → 415.
pub async fn receive_small(req: &HttpRequest, payload: web::Payload, limit: usize) -> AppResult<Bytes> {
    let (_form, mut field) = file_part(req, payload, limit).await?;
    let mut all = BytesMut::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::bad_request(Code::InvalidRequest, e.to_string()))?;
        if all.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        all.extend_from_slice(&chunk);
    }
    Ok(all.freeze())
}

/// Stores bytes already in memory under `key`.
pub async fn store_bytes(state: &AppState, key: &str, bytes: Bytes) -> AppResult<Stored> {
    let none = futures_util::stream::empty::<Result<Bytes, std::io::Error>>();
    match state.files.put(key, bytes, none, u64::MAX).await {
        Ok(s) => Ok(s),
        Err(PutError::TooLarge | PutError::Client(_)) => Err(AppError::internal("storing bytes in memory failed")),
        Err(PutError::Store(e)) => Err(AppError::internal(format!("storing a file: {e}"))),
    }
}
