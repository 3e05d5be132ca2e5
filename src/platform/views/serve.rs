//! Answering a kept view: from memory when still true, else rendered and kept; with a strong
//! ETag that `If-None-Match` revalidates.

use super::View;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use actix_web::http::header::{ContentType, ETAG, IF_NONE_MATCH};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

/// Serves `view` of `deputy` from this instance's memory when it is still true now; otherwise runs `load`
/// (the value, and when it stops being true by itself), keeps its rendering and serves that.
/// `variant` tells apart the forms of one view (a year, a page); only the last one is kept.
/// The answer carries a strong ETag (a hash of the bytes, the same on every instance); a request
/// whose `If-None-Match` names it gets 304 without a body — a phone polling on a slow network
/// downloads the page again only when it changed.
pub async fn serve<T, Fut>(
    req: &HttpRequest,
    state: &AppState,
    view: View,
    deputy: i64,
    variant: u64,
    load: impl FnOnce() -> Fut,
) -> AppResult<HttpResponse>
where
    T: serde::Serialize,
    Fut: std::future::Future<Output = AppResult<(T, Option<NaiveDateTime>)>>,
{
    let answer = |kept: Kept| {
        if not_modified(req, &kept.tag) {
            return HttpResponse::NotModified().insert_header((ETAG, kept.tag)).finish();
        }
        HttpResponse::Ok().content_type(ContentType::json()).insert_header((ETAG, kept.tag)).body(kept.body)
    };
    let views = &state.views;
    if let Some(kept) = views.get(view, deputy, variant, state.now()) {
        return Ok(answer(kept));
    }
    let stamp = views.stamp();
    let (value, until) = load().await?;
    let body = Bytes::from(serde_json::to_vec(&value).map_err(AppError::internal)?);
    let kept = Kept { tag: tag_of(&body), body };
    views.put(view, deputy, variant, stamp, until, kept.clone());
    Ok(answer(kept))
}

/// A kept rendering and its ETag.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub body: Bytes,
    pub tag: String,
}

/// The strong ETag of a rendering: a hash of its bytes (SipHash with fixed keys, so every
/// instance of one build gives the same tag).
pub(super) fn tag_of(body: &[u8]) -> String {
    format!("\"v-{:016x}\"", variant(body))
}

/// Whether the request's `If-None-Match` names `tag` (or is `*`).
pub(super) fn not_modified(req: &HttpRequest, tag: &str) -> bool {
    let given = req.headers().get(IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    given.is_some_and(|v| v.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == tag))
}

/// A variant number for a view's parameters.
pub fn variant(of: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(of)
}
