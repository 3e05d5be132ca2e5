//! Attachments of notices: staff attach files to a draft or scheduled notice (multipart, streamed
//! to storage with a size limit, the type read from the content, SHA-256 kept); the notice's
//! audience and staff in scope get short-lived signed links, and a link streams the file.

use super::attachment_store::{self as store, AttachmentRow, NewAttachment};
use crate::audit::Entry;
use crate::auth::keys::KeySet;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, ReadErrors, WriteErrors};
use crate::files::links::{self, LinkQuery, LINK_SECS};
use crate::files::{rules, PutError};
use crate::state::AppState;
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Files a notice may carry.
const MAX_PER_NOTICE: i64 = 20;
const KIND: &str = "notice-attachment";

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

/// Views of attachment rows with fresh signed links.
pub fn views(keys: &KeySet, now: i64, rows: Vec<AttachmentRow>) -> Vec<AttachmentView> {
    let exp = now + LINK_SECS;
    rows.into_iter()
        .map(|r| AttachmentView {
            url: format!("/api/v1/files/attachments/{}?{}", r.0, links::sign(keys, KIND, r.0, exp)),
            url_expires_at: DateTime::from_timestamp(exp, 0).unwrap_or_default(),
            id: r.0,
            file_name: r.2,
            content_type: r.3,
            size_bytes: r.4,
            sha256: r.5,
        })
        .collect()
}

fn editable(status: &str) -> AppResult<()> {
    if !matches!(status, "draft" | "scheduled") {
        return Err(AppError::conflict("notice_not_editable", format!("attachments change only before publication; the notice is {status}")));
    }
    Ok(())
}

fn too_large(limit: usize) -> AppError {
    AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", format!("an attachment may have at most {limit} bytes"))
}

fn not_multipart() -> AppError {
    AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send multipart/form-data with a part named `file`")
}

/// Attach a file to a draft or scheduled notice (multipart/form-data, one part named `file`).
/// The type is read from the content (PDF, PNG, JPEG, Word, Excel, PowerPoint) and must agree
/// with the name; too large → 413, any other type → 415.
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/attachments")]
pub async fn upload(state: web::Data<AppState>, p: Principal, id: web::Path<i64>, req: HttpRequest, payload: web::Payload) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let limit = state.settings.max_attachment_bytes;
    let p2 = p.clone();
    db::run(&state.db, move |c| {
        let n = super::routes::load_for(c, &p2, id)?;
        editable(&n.status)?;
        if store::count(c, id)? >= MAX_PER_NOTICE {
            return Err(AppError::conflict("too_many_attachments", format!("a notice carries at most {MAX_PER_NOTICE} files")));
        }
        Ok(())
    })
    .await?;
    let declared = req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit + 64 * 1024) {
        return Err(too_large(limit));
    }
    let mut form = Multipart::new(req.headers(), payload);
    let mut field = loop {
        match form.try_next().await {
            Ok(Some(f)) if f.name() == Some("file") => break f,
            Ok(Some(mut other)) => while let Some(_chunk) = other.next().await {},
            Ok(None) => return Err(AppError::invalid_field("file", "required", "a part named `file`")),
            Err(_) => return Err(not_multipart()),
        }
    };
    // `filename*=UTF-8''…` (RFC 5987) when given, else `filename`.
    let raw_name = field
        .content_disposition()
        .and_then(|d| d.get_filename_ext().map(|e| String::from_utf8_lossy(&e.value).into_owned()).or_else(|| d.get_filename().map(str::to_string)))
        .unwrap_or_default();
    let name = rules::clean_name(&raw_name).ok_or_else(|| AppError::invalid_field("file", "file_name_required", "the part needs a file name"))?;
    let mut head = BytesMut::new();
    while head.len() < rules::SNIFF_BYTES {
        match field.next().await {
            Some(Ok(b)) => head.extend_from_slice(&b),
            Some(Err(e)) => return Err(AppError::bad_request("invalid_request", e.to_string())),
            None => break,
        }
    }
    let content_type = rules::sniff(&head, &name).map_err(|m| AppError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", m))?;
    let key = format!("notices/{id}/{}", uuid::Uuid::new_v4().simple());
    let stored = match state.files.put(&key, Bytes::from(head), field, limit as u64).await {
        Ok(s) => s,
        Err(PutError::TooLarge) => return Err(too_large(limit)),
        Err(PutError::Client(e)) => return Err(AppError::bad_request("invalid_request", e)),
        Err(PutError::Store(e)) => return Err(AppError::internal(format!("storing an attachment: {e}"))),
    };
    let now = state.now();
    let (k, pr) = (key.clone(), p.clone());
    let saved = db::tx(&state.db, move |c| {
        let n = super::routes::load_for(c, &pr, id)?;
        editable(&n.status)?;
        let new = NewAttachment { notice: id, file_name: &name, content_type, size: stored.size as i64, sha256: &stored.sha256, key: &k, by: pr.account_id };
        let aid = store::insert(c, &new, now)?;
        Entry::by(&pr, "notice.attach", "notice", id.to_string())
            .region(Some(n.region_path))
            .detail(format!("attachment={aid} sha256={}", stored.sha256))
            .write(c, now)?;
        store::get(c, aid)?.ok_or_else(AppError::not_found)
    })
    .await;
    match saved {
        Ok(row) => Ok(HttpResponse::Created().json(views(&state.keys, state.clock.now().timestamp(), vec![row]).remove(0))),
        Err(e) => {
            let _ = state.files.delete(&key).await;
            Err(e)
        }
    }
}

/// Remove an attachment from a draft or scheduled notice.
#[utoipa::path(tag = "notices", params(("id" = i64, Path), ("attachment_id" = i64, Path)), responses((status = 204, description = "removed"), WriteErrors), security(("bearer" = [])))]
#[delete("/api/v1/notices/{id}/attachments/{attachment_id}")]
pub async fn remove(state: web::Data<AppState>, p: Principal, path: web::Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let ((id, aid), now) = (path.into_inner(), state.now());
    let key = db::tx(&state.db, move |c| {
        let n = super::routes::load_for(c, &p, id)?;
        editable(&n.status)?;
        let key = store::delete(c, id, aid)?.ok_or_else(AppError::not_found)?;
        Entry::by(&p, "notice.detach", "notice", id.to_string()).region(Some(n.region_path)).detail(format!("attachment={aid}")).write(c, now)?;
        Ok(key)
    })
    .await?;
    if let Err(e) = state.files.delete(&key).await {
        tracing::warn!(error = %e, key, "a removed attachment's bytes stay in storage");
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Download an attachment through a signed link from a notice view (no bearer token: the link
/// is the permission, for ten minutes). A wrong or expired link → 403 `link_invalid`.
#[utoipa::path(tag = "notices", params(("id" = i64, Path), LinkQuery), responses((status = 200, description = "the file", content_type = "application/octet-stream"), ReadErrors))]
#[get("/api/v1/files/attachments/{id}")]
pub async fn download(state: web::Data<AppState>, id: web::Path<i64>, q: web::Query<LinkQuery>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    if !links::verify(&state.keys, KIND, id, &q, state.clock.now().timestamp()) {
        return Err(AppError::forbidden("link_invalid", "the link is wrong or expired; open the notice again for a fresh one"));
    }
    let row = db::run(&state.db, move |c| store::get(c, id)).await?.ok_or_else(AppError::not_found)?;
    let body = state.files.get(&row.6).await.map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(row.3.as_str())
        .insert_header(("content-disposition", disposition(&row.2)))
        .insert_header(("x-content-type-options", "nosniff"))
        .insert_header(("cache-control", "private, max-age=600"))
        .insert_header(("x-content-sha256", row.5.as_str()))
        .no_chunking(row.4 as u64)
        .streaming(body.map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))))
}

/// `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987).
fn disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String =
        name.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
