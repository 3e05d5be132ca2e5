//! Staff routes: write, preview, publish (now or scheduled), retract; the per-notice view with
//! counts, the lists of who has not read or answered, reminders, leave decisions.

use super::audience::{self, Audience};
use super::model::{AudiencePreview, LeaveDecision, NoticeCreate, NoticeView, Recipient, RecipientQuery, Reminded};
use super::store::{self, NewNotice, NoticeRow};
use super::{rules, service};
use crate::audit::Entry;
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::platform::route_table::RouteTable;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

fn staff(p: &Principal) -> AppResult<String> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "notices are published by congress staff"));
    }
    Ok(p.region_path.clone().unwrap_or_else(|| "/".into()))
}

/// The notice, when it was published in the caller's scope (404 otherwise).
pub fn load_for(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<NoticeRow> {
    let scope = staff(p)?;
    store::get(c, id)?.filter(|n| n.region_path.starts_with(&scope)).ok_or_else(AppError::not_found)
}

/// The staff view of a notice: counts and attachments with fresh links.
fn detailed(c: &mut AnyConnection, keys: &crate::auth::KeySet, now: i64, id: i64) -> AppResult<NoticeView> {
    let n = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    let mut v = service::view(c, n, true)?;
    v.attachments = super::attachments::views(keys, now, super::store::attachments::of_notice(c, id)?);
    Ok(v)
}

/// Write a notice: a draft, or published now (`publish: true`), or scheduled (`publish: true`
/// with a future `publish_at`). Publishing resolves the audience into one inbox row per deputy
/// and queues a push per device, in one transaction.
#[utoipa::path(tag = "notices", request_body = NoticeCreate, responses((status = 201, body = NoticeView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<NoticeCreate>,
) -> AppResult<HttpResponse> {
    let scope = staff(&p)?;
    let b = body.into_inner();
    let now = state.clock.now();
    let errs = rules::check(&b, now);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let (tz, quiet, now) = (state.settings.tz, state.settings.quiet_hours, db::ts(now));
    let (keys, ts) = (state.keys.clone(), state.clock.now().timestamp());
    let v = db::tx(&state.db, move |c| {
        // The audience must hold now (scope, existence, not empty), also for a draft.
        audience::resolve(c, &scope, &b.audience)?;
        if let Some(e) = b.event_id {
            let venue = crate::checkins::meeting_venue(c, e)?.filter(|v| v.region_path.starts_with(&scope));
            venue.ok_or_else(|| AppError::invalid_field("event_id", "unknown_event", "no such event in your scope"))?;
        }
        let publish_at = b.publish_at.map(db::ts);
        let scheduled = b.publish && publish_at.is_some_and(|t| t > now);
        let text = serde_json::to_string(&b.audience).map_err(AppError::internal)?;
        let id = store::insert(
            c,
            &NewNotice {
                region_id: p.region_id.unwrap_or(0),
                region_path: &scope,
                kind: &b.kind,
                title: b.title.trim(),
                body: &b.body,
                priority: &b.priority,
                pinned: b.pinned,
                audience: &text,
                status: if scheduled { "scheduled" } else { "draft" },
                publish_at,
                published_at: None,
                expires_at: b.expires_at.map(db::ts),
                rsvp_required: b.rsvp_required,
                rsvp_deadline: b.rsvp_deadline.map(db::ts),
                leave_needs_approval: b.leave_needs_approval,
                event_id: b.event_id,
                targeted: 0,
                remind_round: 0,
                created_by: p.account_id,
                created_at: now,
                version: 1,
            },
        )?;
        let wake = if b.publish && !scheduled { Some(service::publish_in(c, id, now, tz, quiet)?.1) } else { None };
        Entry::by(&p, "notice.create", "notice", id.to_string())
            .region(Some(scope.clone()))
            .detail(if b.publish { "published" } else { "draft" })
            .write(c, now)?;
        Ok((detailed(c, &keys, ts, id)?, wake))
    })
    .await?;
    crate::live::announce(&state, &v.1.into_iter().collect::<Vec<_>>()).await;
    Ok(HttpResponse::Created().json(v.0))
}

/// How many deputies an audience reaches, before publishing.
#[utoipa::path(tag = "notices", request_body = Audience, responses((status = 200, body = AudiencePreview), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/audience-preview")]
pub async fn preview(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<Audience>,
) -> AppResult<web::Json<AudiencePreview>> {
    let scope = staff(&p)?;
    let a = body.into_inner();
    let n = db::run(&state.db, move |c| audience::resolve(c, &scope, &a)).await?.len();
    Ok(web::Json(AudiencePreview { deputies: n }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct NoticeListQuery {
    /// draft, scheduled, published or retracted.
    pub status: Option<String>,
}

/// Notices published in my scope, newest first.
#[utoipa::path(tag = "notices", params(NoticeListQuery, PageQuery), responses((status = 200, body = Page<NoticeView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/notices")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<NoticeListQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<NoticeView>>> {
    let scope = staff(&p)?;
    let (before, limit, status) = (pq.after()?, pq.limit()?, q.into_inner().status);
    let v = db::run(&state.db, move |c| {
        let rows = store::list(c, &format!("{scope}%"), status.as_deref(), before, limit)?;
        let pg = page(rows, limit, |r| r.id, |r| r);
        let items = pg.items.into_iter().map(|n| service::view(c, n, false)).collect::<AppResult<Vec<_>>>()?;
        Ok(Page { items, next_cursor: pg.next_cursor })
    })
    .await?;
    Ok(web::Json(v))
}

/// One notice with its counts: targeted, pushed, acknowledged, read, RSVPs.
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), responses((status = 200, body = NoticeView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/notices/{id}")]
pub async fn one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<NoticeView>> {
    let id = id.into_inner();
    let (keys, ts) = (state.keys.clone(), state.clock.now().timestamp());
    Ok(web::Json(db::run(&state.db, move |c| load_for(c, &p, id).and_then(|_| detailed(c, &keys, ts, id))).await?))
}

/// Publish a draft now (a scheduled one too, before its time).
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), responses((status = 200, body = NoticeView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/publish")]
pub async fn publish(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<NoticeView>> {
    let (id, tz, quiet, now) = (id.into_inner(), state.settings.tz, state.settings.quiet_hours, state.now());
    let (keys, ts) = (state.keys.clone(), state.clock.now().timestamp());
    let v = db::tx(&state.db, move |c| {
        let n = load_for(c, &p, id)?;
        let (_, wake) = service::publish_in(c, id, now, tz, quiet)?;
        Entry::by(&p, "notice.publish", "notice", id.to_string()).region(Some(n.region_path)).write(c, now)?;
        Ok((detailed(c, &keys, ts, id)?, wake))
    })
    .await?;
    crate::live::announce(&state, &[v.1]).await;
    Ok(web::Json(v.0))
}

/// Retract a notice: it leaves every inbox (pushes already sent stay sent).
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), responses((status = 200, body = NoticeView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/retract")]
pub async fn retract(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<NoticeView>> {
    let (id, now) = (id.into_inner(), state.now());
    let (keys, ts) = (state.keys.clone(), state.clock.now().timestamp());
    let v = db::tx(&state.db, move |c| {
        let n = load_for(c, &p, id)?;
        if !store::set_status(c, id, &["draft", "scheduled", "published"], "retracted", n.publish_at)? {
            return Err(AppError::conflict(Code::AlreadyRetracted, "the notice is already retracted"));
        }
        let wake = if n.status == "published" {
            Some(crate::live::record(
                c,
                None,
                Some(id),
                "notice_retracted",
                &serde_json::json!({"notice_id": id}),
                now,
            )?)
        } else {
            None
        };
        Entry::by(&p, "notice.retract", "notice", id.to_string()).region(Some(n.region_path)).write(c, now)?;
        Ok((detailed(c, &keys, ts, id)?, wake))
    })
    .await?;
    crate::live::announce(&state, &v.1.into_iter().collect::<Vec<_>>()).await;
    Ok(web::Json(v.0))
}

/// The deputies a notice reached, with their read receipts and RSVPs; `filter=unread`,
/// `unanswered` or `leave_pending` for the ones to chase.
#[utoipa::path(tag = "notices", params(("id" = i64, Path), RecipientQuery, PageQuery), responses((status = 200, body = Page<Recipient>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/notices/{id}/recipients")]
pub async fn recipients(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<RecipientQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<Recipient>>> {
    let (id, filter, after, limit) = (id.into_inner(), q.into_inner().filter, pq.after()?, pq.limit()?);
    if filter.as_deref().is_some_and(|f| !matches!(f, "unread" | "unanswered" | "leave_pending")) {
        return Err(AppError::invalid_field("filter", "invalid_value", "unread, unanswered or leave_pending"));
    }
    let rows = db::run(&state.db, move |c| {
        load_for(c, &p, id)?;
        store::recipients(c, id, filter.as_deref(), after, limit)
    })
    .await?;
    Ok(web::Json(page(
        rows,
        limit,
        |r| r.0,
        |(deputy_id, name, s)| Recipient { deputy_id, name, read_at: s.0.map(utc), rsvp: s.1, leave_status: s.4 },
    )))
}

/// Push the notice again to the deputies who have not read it (only them), as a new send.
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), responses((status = 200, body = Reminded), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/remind")]
pub async fn remind(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<Reminded>> {
    let (id, now, tz, quiet) = (id.into_inner(), state.now(), state.settings.tz, state.settings.quiet_hours);
    let v = db::tx(&state.db, move |c| {
        let n = load_for(c, &p, id)?;
        if n.status != "published" {
            return Err(AppError::conflict(Code::NotPublished, format!("the notice is {}", n.status)));
        }
        let unread = store::unread_deputies(c, id)?;
        let round = store::next_round(c, id)?;
        let timing = crate::push::Timing { now, urgent: n.priority == "urgent", tz, quiet };
        let pushes = crate::push::enqueue(c, &super::headline(&n), &unread, round, &timing)?;
        Entry::by(&p, "notice.remind", "notice", id.to_string())
            .region(Some(n.region_path))
            .detail(format!("deputies={}", unread.len()))
            .write(c, now)?;
        Ok(Reminded { deputies: unread.len(), pushes })
    })
    .await?;
    Ok(web::Json(v))
}

/// Approve or refuse a deputy's leave; approved leave excuses them from the linked meeting.
#[utoipa::path(tag = "notices", params(("id" = i64, Path), ("deputy_id" = i64, Path)), request_body = LeaveDecision, responses((status = 200, body = Recipient), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/leaves/{deputy_id}")]
pub async fn decide_leave(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i64)>,
    body: web::Json<LeaveDecision>,
) -> AppResult<web::Json<Recipient>> {
    let ((id, deputy), approve, now) = (path.into_inner(), body.into_inner().approve, state.now());
    let v = db::tx(&state.db, move |c| {
        let n = load_for(c, &p, id)?;
        if !store::decide_leave(c, id, deputy, if approve { "approved" } else { "rejected" })? {
            return Err(AppError::conflict(Code::NoPendingLeave, "this deputy has no leave waiting for a decision"));
        }
        if let (true, Some(event)) = (approve, n.event_id) {
            crate::checkins::excuse_absence(c, event, deputy, now)?;
        }
        let data = serde_json::json!({"notice_id": id, "approved": approve});
        let wake = crate::live::record(c, Some(deputy), Some(id), "leave_decided", &data, now)?;
        Entry::by(&p, "notice.leave", "notice", id.to_string())
            .region(Some(n.region_path))
            .detail(format!("deputy={deputy} approve={approve}"))
            .write(c, now)?;
        let (deputy_id, name, s) = store::recipient(c, id, deputy)?.ok_or_else(AppError::not_found)?;
        Ok((Recipient { deputy_id, name, read_at: s.0.map(utc), rsvp: s.1, leave_status: s.4 }, wake))
    })
    .await?;
    crate::live::announce(&state, &[v.1]).await;
    Ok(web::Json(v.0))
}

/// Registers the busiest notices routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(super::inbox::list).add(super::inbox::unread);
}

/// Registers the notices routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(create)
        .add(preview)
        .add(list)
        .add(one)
        .add(publish)
        .add(retract)
        .add(recipients)
        .add(remind)
        .add(decide_leave)
        .add(super::attachments::upload)
        .add(super::attachments::remove)
        .add(super::attachments::download)
        .add(super::inbox::one)
        .add(super::inbox::read)
        .add(super::inbox::rsvp);
}
