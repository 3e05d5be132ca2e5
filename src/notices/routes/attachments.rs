//! Attachments of notices: staff attach files to a draft or scheduled notice (multipart, streamed
//! to storage with a size limit, the type read from the content, SHA-256 kept); the notice's
//! audience and staff in scope get short-lived signed links, and a link streams the file.

use crate::audit::Entry;
use crate::auth::KeySet;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::files;
use crate::files::{verify_link, LinkQuery};
use crate::notices::store::attachments::{self as store, AttachmentRow, NewAttachment};
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};

/// Files a notice may carry.
const MAX_PER_NOTICE: i64 = 20;
const KIND: &str = "notice-attachment";

pub use crate::files::{AttachmentUpload, AttachmentView};

/// Views of attachment rows with fresh signed links.
pub fn views(keys: &KeySet, now: i64, rows: Vec<AttachmentRow>) -> Vec<AttachmentView> {
    rows.into_iter()
        .map(|r| files::attachment_view(keys, (KIND, "attachments"), now, (r.0, r.2, r.3, r.4, r.5)))
        .collect()
}

fn editable(status: &str) -> AppResult<()> {
    if !matches!(status, "draft" | "scheduled") {
        return Err(AppError::conflict(
            Code::NoticeNotEditable,
            format!("attachments change only before publication; the notice is {status}"),
        ));
    }
    Ok(())
}

/// Attach a file to a draft or scheduled notice (multipart/form-data, one part named `file`).
/// The type is read from the content (PDF, PNG, JPEG, Word, Excel, PowerPoint) and must agree
/// with the name; too large → 413, any other type → 415.
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/attachments")]
pub async fn upload(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let p2 = p.clone();
    db::run(&state.db, move |c| {
        let n = crate::notices::routes::drafts::load_for(c, &p2, id)?;
        editable(&n.status)?;
        if store::count(c, id)? >= MAX_PER_NOTICE {
            return Err(AppError::conflict(
                Code::TooManyAttachments,
                format!("a notice carries at most {MAX_PER_NOTICE} files"),
            ));
        }
        Ok(())
    })
    .await?;
    let r = files::receive_upload(&state, &req, payload, &format!("notices/{id}")).await?;
    let key = r.key.clone();
    let now = state.now();
    let (k, pr) = (key.clone(), p.clone());
    let saved = db::tx(&state.db, move |c| {
        let n = crate::notices::routes::drafts::load_for(c, &pr, id)?;
        editable(&n.status)?;
        let new = NewAttachment {
            notice: id,
            file_name: &r.name,
            content_type: r.content_type,
            size: r.size,
            sha256: &r.sha256,
            key: &k,
            by: pr.account_id,
        };
        let aid = store::insert(c, &new, now)?;
        Entry::by(&pr, "notice.attach", "notice", id.to_string())
            .region(Some(n.region_path))
            .detail(format!("attachment={aid} sha256={}", r.sha256))
            .write(c, now)?;
        store::get(c, aid)?.ok_or_else(AppError::not_found)
    })
    .await;
    match saved {
        Ok(row) => {
            Ok(HttpResponse::Created().json(views(&state.keys, state.clock.now().timestamp(), vec![row]).remove(0)))
        }
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
        let n = crate::notices::routes::drafts::load_for(c, &p, id)?;
        editable(&n.status)?;
        let key = store::delete(c, id, aid)?.ok_or_else(AppError::not_found)?;
        Entry::by(&p, "notice.detach", "notice", id.to_string())
            .region(Some(n.region_path))
            .detail(format!("attachment={aid}"))
            .write(c, now)?;
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
pub async fn download(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    if !verify_link(&state.keys, KIND, id, &q, state.clock.now().timestamp()) {
        return Err(AppError::forbidden(
            Code::LinkInvalid,
            "the link is wrong or expired; open the notice again for a fresh one",
        ));
    }
    let row = db::run(&state.db, move |c| store::get(c, id)).await?.ok_or_else(AppError::not_found)?;
    files::serve_file(&state, &row.6, &row.2, &row.3, row.4, &row.5).await
}
