//! Photos from phones over HTTP, for every capability that keeps them: received whole within a
//! size limit, recognised by their content and stripped of metadata (see [`super::photo`]),
//! stored under a fresh key; and served back through a signed link checked here.

use super::{links, upload, LinkQuery, Stored};
use crate::error::{AppError, AppResult, Code};
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

/// A photo received and stored: its content type, storage key and what storage answered.
pub struct StoredPhoto {
    pub content_type: &'static str,
    pub key: String,
    pub stored: Stored,
}

/// Receives one photo (at most `limit` bytes: 413), refuses anything but JPEG or PNG read from
/// the content (415), removes its metadata and stores it under `prefix/<random>`.
pub async fn receive(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    prefix: &str,
) -> AppResult<StoredPhoto> {
    let raw = upload::receive_small(req, payload, limit).await?;
    let (content_type, clean) = super::photo::clean(raw)
        .map_err(|_| AppError::new(Code::UnsupportedMediaType, "a photo is a JPEG or PNG (read from its content)"))?;
    let key = format!("{prefix}/{}", uuid::Uuid::new_v4().simple());
    let stored = upload::store_bytes(state, &key, clean).await?;
    Ok(StoredPhoto { content_type, key, stored })
}

/// Checks a photo's signed link (403 `link_invalid` when expired or not ours).
pub fn check_link(state: &AppState, kind: &str, id: i64, q: &LinkQuery) -> AppResult<()> {
    if !links::verify(&state.keys, kind, id, q, state.clock.now().timestamp()) {
        return Err(AppError::forbidden(Code::LinkInvalid, "the link has expired or is not ours"));
    }
    Ok(())
}

/// Streams a stored photo back: (content type, storage key, size, sha256).
pub async fn serve(
    state: &AppState,
    (content_type, key, size, sha): (&str, &str, i64, &str),
) -> AppResult<HttpResponse> {
    let name = if content_type == "image/png" { "photo.png" } else { "photo.jpg" };
    upload::serve(state, key, name, content_type, size, sha).await
}
