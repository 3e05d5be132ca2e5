//! Routes: photos a constituent attaches to an opinion — uploaded first (JPEG or PNG read from
//! the content, at most 5 MB, 30 an hour, every piece of metadata removed before storing), then
//! named by id when the opinion is filed — and the signed, expiring links through which those
//! handling the case (and the person who filed it) see them.

use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, Problem};
use crate::files::{self, LinkQuery};
use crate::platform::ratelimit;
use crate::reception::store::media;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most bytes of one photo.
pub const PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Photos one constituent may upload in an hour.
const PHOTOS_PER_HOUR: u64 = 30;
const LINK_KIND: &str = "opinion_photo";

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PhotoUploaded {
    /// Name it in `photo_ids` when filing the opinion.
    pub id: i64,
    /// image/jpeg or image/png, read from the content.
    pub content_type: String,
    /// After its metadata was removed.
    pub size_bytes: i64,
    pub sha256: String,
}

/// A photo of a case, through a signed link that works for 10 minutes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PhotoLink {
    pub id: i64,
    pub url: String,
}

/// The upload form: one part named `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PhotoUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Signed links to an opinion's photos.
pub fn links(state_keys: &crate::auth::KeySet, photos: &[(i64, String)], now: i64) -> Vec<PhotoLink> {
    let exp = now + files::LINK_SECS;
    photos
        .iter()
        .map(|(id, _)| PhotoLink {
            id: *id,
            url: format!("/api/v1/files/opinion-photos/{id}?{}", files::sign_link(state_keys, LINK_KIND, *id, exp)),
        })
        .collect()
}

/// Upload a photo for an opinion (constituents; multipart, part `file`). JPEG or PNG, read
/// from the content (415 otherwise), at most 5 MB (413), 30 an hour (429). GPS position, time,
/// device and every other metadata are removed before it is stored; the orientation stays.
#[utoipa::path(tag = "reception", request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = PhotoUploaded), (status = 413, body = Problem, description = "`payload_too_large`"),
        (status = 415, body = Problem, description = "`unsupported_media_type`"), (status = 429, body = Problem, description = "`rate_limited`"),
        (status = 401, body = Problem), (status = 403, body = Problem)), security(("bearer" = [])))]
#[post("/api/v1/opinion-photos")]
pub async fn upload(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    if p.role != Role::Constituent {
        return Err(AppError::forbidden(Code::Forbidden, "photos are uploaded by constituents for their opinions"));
    }
    ratelimit::hit(&state.cache, &state.clock, &format!("opinion-photo:{}", p.account_id), PHOTOS_PER_HOUR, 3600)
        .await?;
    let f = files::receive_photo(&state, &req, payload, PHOTO_BYTES, "opinion-photos").await?;
    let (content_type, key, size, sha, now) =
        (f.content_type, f.key, f.stored.size as i64, f.stored.sha256.clone(), state.now());
    let id = db::tx(&state.db, {
        let (key, sha) = (key.clone(), sha.clone());
        move |c| media::insert_photo(c, p.account_id, (content_type, size, &sha, &key), now)
    })
    .await?;
    let out = PhotoUploaded { id, content_type: content_type.into(), size_bytes: size, sha256: sha };
    Ok(HttpResponse::Created().json(out))
}

/// A photo of a case, through its signed link (no bearer token: an `<img>` can show it).
#[utoipa::path(tag = "reception", params(("id" = i64, Path), LinkQuery),
    responses((status = 200, description = "the photo", content_type = "image/jpeg"), (status = 403, body = Problem, description = "`link_invalid`: expired or not ours"), (status = 404, body = Problem)))]
#[get("/api/v1/files/opinion-photos/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    files::check_photo_link(&state, LINK_KIND, id, &q)?;
    let (_, content_type, key, size, sha) = db::run(&state.db, move |c| media::photo(c, id))
        .await?
        .filter(|p| p.0.is_some())
        .ok_or_else(AppError::not_found)?;
    files::serve_photo(&state, (&content_type, &key, size, &sha)).await
}
