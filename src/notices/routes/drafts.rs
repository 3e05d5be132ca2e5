//! Routes for writing and sending notices: create a draft, preview its audience, list, read, publish
//! and retract.

use crate::audit::Entry;
use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::notices::audience::{self, Audience};
use crate::notices::model::{AudiencePreview, NoticeCreate, NoticeView};
use crate::notices::store::{self, NewNotice, NoticeRow};
use crate::notices::{rules, service};
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
    v.attachments = super::attachments::views(keys, now, crate::notices::store::attachments::of_notice(c, id)?);
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
    if status.as_deref().is_some_and(|s| !["draft", "scheduled", "published", "retracted"].contains(&s)) {
        return Err(AppError::invalid_field("status", "invalid_value", "draft, scheduled, published or retracted"));
    }
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
