//! A deputy's inbox: published, unexpired notices (pinned first), the unread count, read
//! receipts and RSVPs.

use crate::auth::Principal;
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{encode_cursor, Page, PageQuery};
use crate::notices::model::{InboxItem, InboxQuery, RsvpRequest, UnreadCount};
use crate::notices::store::{self, Headline, InboxState, NoticeRow};
use crate::platform::views::{self, View};
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

fn me(p: &Principal) -> AppResult<i64> {
    p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))
}

fn item(n: Headline, s: InboxState, body: Option<String>) -> InboxItem {
    InboxItem {
        notice_id: n.id,
        kind: n.kind,
        title: n.title,
        priority: n.priority,
        pinned: n.pinned,
        published_at: n.published_at.map(utc),
        expires_at: n.expires_at.map(utc),
        rsvp_required: n.rsvp_required,
        rsvp_deadline: n.rsvp_deadline.map(utc),
        event_id: n.event_id,
        read_at: s.0.map(utc),
        rsvp: s.1,
        rsvp_reason: s.2,
        leave_status: s.4,
        body,
        attachments: None,
    }
}

/// My inbox: pinned notices first (on the first page), then the newest; `unread=true` and `kind`
/// filter; expired and retracted notices are hidden.
#[utoipa::path(tag = "notices", params(InboxQuery, PageQuery), responses((status = 200, body = Page<InboxItem>), (status = 304, description = "unchanged since the ETag given in `If-None-Match`"), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/inbox")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<InboxQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let deputy = me(&p)?;
    let (before, limit, now) = (pq.after()?, pq.limit()?, state.now());
    let q = q.into_inner();
    let (only_unread, kind) = (q.unread.unwrap_or(false), q.kind);
    let variant = views::variant((before, limit, only_unread, kind.as_deref()));
    views::serve(&req, &state, View::InboxPage, deputy, variant, || async {
        let rows =
            db::read(&state.db, move |c| store::inbox(c, deputy, now, only_unread, kind.as_deref(), before, limit))
                .await?;
        // The page stops being true when a notice on it (or the next one) expires.
        let until = rows.iter().filter_map(|r| r.0.expires_at).min();
        let pinned = rows.iter().filter(|r| r.0.pinned).count();
        let more = rows.len() - pinned > limit as usize;
        let mut items: Vec<InboxItem> = rows.into_iter().map(|(n, s)| item(n, s, None)).collect();
        items.truncate(pinned + limit as usize);
        let next_cursor = if more { items.last().map(|i| encode_cursor(i.notice_id)) } else { None };
        Ok((Page { items, next_cursor }, until))
    })
    .await
}

/// How many of my notices are unread (the badge on the app icon).
#[utoipa::path(tag = "notices", responses((status = 200, body = UnreadCount), (status = 304, description = "unchanged since the ETag given in `If-None-Match`"), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/inbox/unread-count")]
pub async fn unread(req: HttpRequest, state: web::Data<AppState>, p: Principal) -> AppResult<HttpResponse> {
    let (deputy, now) = (me(&p)?, state.now());
    views::serve(&req, &state, View::Unread, deputy, 0, || async {
        let (count, until) = db::read(&state.db, move |c| store::unread(c, deputy, now)).await?;
        Ok((UnreadCount { unread: count }, until))
    })
    .await
}

/// The notice and my inbox row; 404 when it is not in my inbox (or retracted, or expired).
fn mine(c: &mut AnyConnection, deputy: i64, id: i64, now: NaiveDateTime) -> AppResult<(NoticeRow, InboxState)> {
    let n = store::get(c, id)?
        .filter(|n| n.status == "published" && n.expires_at.is_none_or(|x| x > now))
        .ok_or_else(AppError::not_found)?;
    let s = store::inbox_row(c, id, deputy)?.ok_or_else(AppError::not_found)?;
    Ok((n, s))
}

/// One notice of my inbox, with its body.
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), responses((status = 200, body = InboxItem), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/inbox/{id}")]
pub async fn one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<InboxItem>> {
    let (deputy, id, now) = (me(&p)?, id.into_inner(), state.now());
    let (n, s, files) = db::run(&state.db, move |c| {
        let (n, s) = mine(c, deputy, id, now)?;
        let files = crate::notices::store::attachments::of_notice(c, id)?;
        Ok((n, s, files))
    })
    .await?;
    let mut v = item(Headline::from(&n), s, Some(n.body.clone()));
    v.attachments = Some(crate::notices::routes::attachments::views(&state.keys, state.clock.now().timestamp(), files));
    Ok(web::Json(v))
}

/// Mark a notice read (the read receipt keeps the first time).
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), responses((status = 204, description = "read"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/inbox/{id}/read")]
pub async fn read(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (deputy, id, now) = (me(&p)?, id.into_inner(), state.now());
    db::tx(&state.db, move |c| {
        mine(c, deputy, id, now)?;
        store::mark_read(c, id, deputy, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Answer a notice that asks for it: attend, or leave with a reason (leave may wait for staff
/// approval; approved leave excuses me from the linked meeting). Until the deadline; a new
/// answer replaces the old one.
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), request_body = RsvpRequest, responses((status = 200, body = InboxItem), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/inbox/{id}/rsvp")]
pub async fn rsvp(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<RsvpRequest>,
) -> AppResult<web::Json<InboxItem>> {
    let (deputy, id, now, b) = (me(&p)?, id.into_inner(), state.now(), body.into_inner());
    if !matches!(b.answer.as_str(), "attend" | "leave") {
        return Err(AppError::invalid_field("answer", "invalid_value", "attend or leave"));
    }
    let reason = b.reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if b.answer == "leave" && reason.is_none() {
        return Err(AppError::invalid_field("reason", "required", "say why you ask for leave"));
    }
    let v = db::tx(&state.db, move |c| {
        let (n, _) = mine(c, deputy, id, now)?;
        if !n.rsvp_required {
            return Err(AppError::conflict(Code::RsvpNotRequired, "this notice asks for no answer"));
        }
        if n.rsvp_deadline.is_some_and(|d| d < now) {
            return Err(AppError::conflict(Code::RsvpClosed, "the deadline for answers has passed"));
        }
        let leave = crate::notices::rules::leave_status(&b.answer, n.leave_needs_approval);
        store::answer(c, id, deputy, &b.answer, reason.as_deref(), leave, now)?;
        if let (Some("approved"), Some(event)) = (leave, n.event_id) {
            crate::checkins::excuse_absence(c, event, deputy, now)?;
        }
        let (n, s) = mine(c, deputy, id, now)?;
        Ok(item(Headline::from(&n), s, None))
    })
    .await?;
    Ok(web::Json(v))
}
