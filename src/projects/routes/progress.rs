//! Routes: progress reports on an adopted project by the units carrying it out — the quarter,
//! percent done, money spent so far, what was done, and photos (uploaded first: JPEG or PNG read
//! from the content, at most 5 MB, every piece of metadata removed) — and the signed links that
//! show those photos.

use super::scope::project;
use super::works::{ctx, one};
use crate::audit::Entry;
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, Problem, WriteErrors};
use crate::files::{self, LinkQuery};
use crate::projects::model::{ProgressCreate, ProjectView};
use crate::projects::rules::works::{self, MAX_PHOTOS};
use crate::projects::rules::MAX_TEXT;
use crate::projects::store::works::{self as ws, NewProgress};
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const PHOTO_BYTES: usize = 5 * 1024 * 1024;
/// Photos one unit account may upload in an hour.
const PHOTOS_PER_HOUR: u64 = 60;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProjectPhotoUploaded {
    /// Name it in `photo_ids` when filing the progress report.
    pub id: i64,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

/// The upload form: one part named `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProjectPhotoUpload {
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Upload a photo for a progress report (unit accounts; multipart, part `file`). JPEG or PNG
/// read from the content (415 otherwise), at most 5 MB (413), 60 an hour (429); metadata removed.
#[utoipa::path(tag = "projects", request_body(content = ProjectPhotoUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = ProjectPhotoUploaded), (status = 413, body = Problem, description = "`payload_too_large`"),
        (status = 415, body = Problem, description = "`unsupported_media_type`"), (status = 429, body = Problem, description = "`rate_limited`"),
        (status = 401, body = Problem), (status = 403, body = Problem)), security(("bearer" = [])))]
#[post("/api/v1/project-photos")]
pub async fn upload(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    if p.role != Role::Unit {
        return Err(AppError::forbidden(Code::Forbidden, "photos are uploaded by the units carrying out a project"));
    }
    let key = format!("project-photo:{}", p.account_id);
    crate::platform::ratelimit::hit(&state.cache, &state.clock, &key, PHOTOS_PER_HOUR, 3600).await?;
    let f = files::receive_photo(&state, &req, payload, PHOTO_BYTES, "project-photos").await?;
    let (content_type, key, size, sha, now) =
        (f.content_type, f.key, f.stored.size as i64, f.stored.sha256.clone(), state.now());
    let id = db::tx(&state.db, {
        let sha = sha.clone();
        move |c| ws::insert_photo(c, p.account_id, (content_type, size, &sha, &key), now)
    })
    .await?;
    let out = ProjectPhotoUploaded { id, content_type: content_type.into(), size_bytes: size, sha256: sha };
    Ok(HttpResponse::Created().json(out))
}

/// A project photo, through its signed link (no bearer token: an `<img>` can show it).
#[utoipa::path(tag = "projects", params(("id" = i64, Path), LinkQuery),
    responses((status = 200, description = "the photo", content_type = "image/jpeg"), (status = 403, body = Problem, description = "`link_invalid`: expired or not ours"), (status = 404, body = Problem)))]
#[get("/api/v1/files/project-photos/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    files::check_photo_link(&state, super::views::PHOTO_LINK, id, &q)?;
    let (_, content_type, key, size, sha) = db::run(&state.db, move |c| ws::photo(c, id))
        .await?
        .filter(|p| p.0.is_some())
        .ok_or_else(AppError::not_found)?;
    files::serve_photo(&state, (&content_type, &key, size, &sha)).await
}

fn check(b: &ProgressCreate) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = crate::org::rules::required_text("text", &b.text, MAX_TEXT).into_iter().collect();
    if b.text.contains('\0') {
        errs.push(FieldError::new("text", "invalid_value", "no NUL characters"));
    }
    if works::quarter(&b.quarter).is_none() {
        errs.push(FieldError::new("quarter", "invalid_value", "a quarter YYYY-Qn"));
    }
    if !(0..=100).contains(&b.percent) {
        errs.push(FieldError::new("percent", "out_of_range", "0 to 100"));
    }
    if !(0..=1_000_000_000_000).contains(&b.spent_yuan) {
        errs.push(FieldError::new("spent_yuan", "out_of_range", "0 to 10^12 yuan"));
    }
    if b.photo_ids.len() > MAX_PHOTOS {
        errs.push(FieldError::new("photo_ids", "out_of_range", "at most 9 photos"));
    }
    errs
}

/// File a progress report on a project (the accounts of its lead unit or co-units, while the
/// round is implementing): quarter, percent done, money spent so far, text and photos.
#[utoipa::path(tag = "projects", params(("id" = i64, Path)), request_body = ProgressCreate, responses((status = 201, body = ProjectView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/projects/{id}/progress")]
pub async fn report(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ProgressCreate>,
) -> AppResult<HttpResponse> {
    let (b, id, now, st) = (body.into_inner(), id.into_inner(), state.now(), state.clone());
    let errs = check(&b);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let unit = p.unit_id.filter(|_| p.role == Role::Unit);
        let unit =
            unit.ok_or_else(|| AppError::forbidden(Code::Forbidden, "the units carrying out a project report on it"))?;
        let (r, row) = project(c, &p, id)?;
        if r.status != "implementing" {
            return Err(AppError::conflict(Code::IllegalTransition, "progress is reported while implementing"));
        }
        let n = NewProgress {
            project: id,
            unit,
            quarter: &b.quarter,
            percent: b.percent,
            spent_yuan: b.spent_yuan,
            body: b.text.trim(),
            by: p.account_id,
        };
        let rid = ws::add_progress(c, &n, now)?;
        let mut photos = b.photo_ids.clone();
        photos.sort_unstable();
        photos.dedup();
        if ws::attach_photos(c, p.account_id, &photos, rid)? != photos.len() {
            return Err(AppError::invalid_field("photo_ids", "not_found", "photos you uploaded, not yet attached"));
        }
        Entry::by(&p, "project.progress", "project_progress", rid.to_string())
            .region(Some(r.region_path.clone()))
            .write(c, now)?;
        one(c, &ctx(&st), &r, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}
