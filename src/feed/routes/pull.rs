//! Routes: the pull side of the feed — a page of CloudEvents after a cursor, inside the
//! reader's region — and the catalogue of event types with their data schemas.

use crate::auth::policy::{self, SCOPE_FEED_READ};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::feed::model::{EventType, FeedPage, FeedQuery};
use crate::feed::rules::{self, render, Type};
use crate::feed::{sequencer, store};
use crate::state::AppState;
use actix_web::http::header::ContentType;
use actix_web::{get, web, HttpResponse};

/// The CloudEvents `source` of this installation.
pub fn source(state: &AppState) -> String {
    match &state.settings.public_base_url {
        Some(base) => format!("{base}/feed"),
        None => "urn:lvzhi:feed".into(),
    }
}

/// Read the event feed: CloudEvents after a cursor, oldest first, inside your region (400
/// `invalid_cursor` for a changed, forged or another client's cursor; 403 `insufficient_scope`
/// without `feed:read`).
#[utoipa::path(
    tag = "feed",
    params(FeedQuery),
    responses((status = 200, body = FeedPage), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/feed")]
pub async fn pull(state: web::Data<AppState>, p: Principal, q: web::Query<FeedQuery>) -> AppResult<HttpResponse> {
    policy::scoped_read(&p, SCOPE_FEED_READ)?;
    let limit = match q.limit {
        None => rules::DEFAULT_PAGE,
        Some(l) if (1..=rules::MAX_PAGE).contains(&l) => l,
        Some(_) => return Err(AppError::bad_request(Code::InvalidQuery, "limit must be between 1 and 1000")),
    };
    let types = rules::parse_types(q.types.as_deref().unwrap_or(""))
        .map_err(|t| AppError::bad_request(Code::InvalidQuery, format!("unknown event type `{t}`")))?;
    let pii = state.pii.clone();
    let mac = move |b: &[u8]| pii.tag("feed-cursor", b);
    let after = match q.after.as_deref() {
        None => 0,
        Some(c) => rules::decode_cursor(c, p.account_id, &mac)
            .ok_or_else(|| AppError::bad_request(Code::InvalidCursor, "the cursor is not one this server gave you"))?,
    };
    sequencer::catch_up(&state).await?;
    let scope = p.region_path.clone().unwrap_or_else(|| "/".into());
    let (rows, head) = db::read(&state.db, move |c| {
        let head = store::head(c)?;
        let upto = head.min(after.saturating_add(rules::SCAN));
        let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
        Ok((store::read(c, (after, upto), &scope, &names, limit)?, (head, upto)))
    })
    .await?;
    let (head, upto) = head;
    // A full page ends at its last event; a short one read everything up to `upto`.
    let last = if rows.len() as i64 == limit { rows.last().map(|r| r.0).unwrap_or(upto) } else { upto.max(after) };
    // Written straight into the answer's bytes (the shape of `FeedPage`): a page of 1,000
    // events is one buffer, without a value per event.
    let cursor = rules::encode_cursor(last, p.account_id, &mac);
    let body = render::page(&render::quoted(&source(&state)), &rows, &cursor, last >= head);
    Ok(HttpResponse::Ok().content_type(ContentType::json()).body(body))
}

/// The event types and the JSON Schema of each one's `data`.
#[utoipa::path(
    tag = "feed",
    responses((status = 200, body = Vec<EventType>), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/feed/types")]
pub async fn catalogue(p: Principal) -> AppResult<web::Json<Vec<EventType>>> {
    policy::scoped_read(&p, SCOPE_FEED_READ)?;
    Ok(web::Json(
        rules::ALL
            .into_iter()
            .map(|t: Type| EventType { type_: t.as_str(), description: t.description(), schema: t.schema() })
            .collect(),
    ))
}
