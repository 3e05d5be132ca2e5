//! Attachments of suggestions: the author attaches files while the suggestion is a draft or
//! returned (at most 10; type read from the content, size limited, SHA-256 kept); everyone who
//! may see the suggestion gets short-lived signed links, and a link streams the file.

use crate::auth::KeySet;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::files::{verify_link, LinkQuery};
use crate::files::{AttachmentUpload, AttachmentView};
use crate::state::AppState;
use crate::suggestions::model::{self, Stand};
use crate::suggestions::store;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

const KIND: &str = "suggestion-attachment";
const MAX_FILES: usize = 10;

/// Views with fresh signed links.
pub fn views(keys: &KeySet, now: i64, rows: Vec<store::AttachmentRow>) -> Vec<AttachmentView> {
    rows.into_iter()
        .map(|r| crate::files::attachment_view(keys, (KIND, "suggestion-attachments"), now, (r.0, r.1, r.2, r.3, r.4)))
        .collect()
}

/// Attach a file to my draft or returned suggestion (multipart/form-data, one part named `file`;
/// PDF, images, Office documents; too large → 413, another type → 415).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/attachments")]
pub async fn attach(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let check = move |c: &mut db::AnyConnection, p: &Principal| -> AppResult<store::SuggestionRow> {
        let (s, stand) = model::open(c, p, id)?;
        if stand != Stand::Author {
            return Err(AppError::forbidden(Code::Forbidden, "the author attaches files"));
        }
        if !matches!(s.status.as_str(), "draft" | "returned") {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                format!("a {} suggestion takes no more files", s.status),
            ));
        }
        if store::attachments(c, id)?.len() >= MAX_FILES {
            return Err(AppError::conflict(
                Code::TooManyAttachments,
                format!("a suggestion carries at most {MAX_FILES} files"),
            ));
        }
        Ok(s)
    };
    let p2 = p.clone();
    db::run(&state.db, move |c| check(c, &p2).map(|_| ())).await?;
    let r = crate::files::receive_upload(&state, &req, payload, &format!("suggestions/{id}")).await?;
    let (key, now) = (r.key.clone(), state.now());
    let saved = db::tx(&state.db, move |c| {
        let s = check(c, &p)?;
        let aid = store::add_attachment(c, id, &r, p.account_id, now)?;
        crate::audit::Entry::by(&p, "suggestion.attach", "suggestion", id.to_string())
            .region(Some(s.region_path))
            .detail(format!("attachment={aid} sha256={}", r.sha256))
            .write(c, now)?;
        Ok(store::attachments(c, id)?.into_iter().filter(|a| a.0 == aid).collect::<Vec<_>>())
    })
    .await;
    match saved {
        Ok(rows) => Ok(HttpResponse::Created().json(views(&state.keys, state.clock.now().timestamp(), rows).pop())),
        Err(e) => {
            let _ = state.files.delete(&key).await;
            Err(e)
        }
    }
}

/// Download a suggestion's attachment through a signed link from the suggestion view (the link
/// is the permission, for ten minutes; wrong or expired → 403 `link_invalid`).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path), LinkQuery), responses((status = 200, description = "the file", content_type = "application/octet-stream"), ReadErrors))]
#[get("/api/v1/files/suggestion-attachments/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<LinkQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    if !verify_link(&state.keys, KIND, id, &q, state.clock.now().timestamp()) {
        return Err(AppError::forbidden(
            Code::LinkInvalid,
            "the link is wrong or expired; open the suggestion again for a fresh one",
        ));
    }
    let (_, row) = db::run(&state.db, move |c| store::attachment(c, id)).await?.ok_or_else(AppError::not_found)?;
    crate::files::serve_file(&state, &row.5, &row.1, &row.2, row.3, &row.4).await
}
