//! Routes: a deputy's devices, and the dead letters staff look at and send again.

use crate::audit::Entry;
use crate::auth::{Principal, Role};
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::push::store;
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceRegistration {
    /// ios, android or harmony.
    pub platform: String,
    /// webhook, apns, fcm, jpush or huawei.
    pub provider: String,
    pub token: String,
    pub app_version: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeviceView {
    pub id: i64,
    pub platform: String,
    pub provider: String,
    /// The token's last 6 characters.
    pub token_tail: String,
    pub app_version: Option<String>,
    /// Set when the provider reported the token dead.
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn me(p: &Principal) -> AppResult<i64> {
    p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "devices belong to deputies' accounts"))
}

/// Register this phone for pushes; the same token again updates it (and enables it again).
#[utoipa::path(tag = "push", request_body = DeviceRegistration, responses((status = 201, body = Vec<DeviceView>), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/devices")]
pub async fn register(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<DeviceRegistration>,
) -> AppResult<HttpResponse> {
    let deputy = me(&p)?;
    let b = body.into_inner();
    let mut errs = vec![];
    if !["ios", "android", "harmony"].contains(&b.platform.as_str()) {
        errs.push(FieldError::new("platform", "invalid_value", "ios, android or harmony"));
    }
    if !crate::push::provider::PROVIDERS.contains(&b.provider.as_str()) {
        errs.push(FieldError::new("provider", "invalid_value", crate::push::provider::PROVIDERS.join(", ")));
    }
    if b.token.trim().is_empty() || b.token.len() > 4096 {
        errs.push(FieldError::new("token", "required", "1–4096 characters"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let d = store::NewDevice {
            deputy,
            account: p.account_id,
            platform: &b.platform,
            provider: &b.provider,
            token: b.token.trim(),
            app_version: b.app_version.as_deref(),
        };
        store::upsert_device(c, &d, now)?;
        Ok(store::devices_of(c, deputy)?.into_iter().map(view).collect::<Vec<_>>())
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

fn view(r: store::DeviceRow) -> DeviceView {
    let tail: String = r.3.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    DeviceView {
        id: r.0,
        platform: r.1,
        provider: r.2,
        token_tail: tail,
        app_version: r.4,
        disabled_at: r.5.map(utc),
        created_at: utc(r.6),
    }
}

/// My registered devices.
#[utoipa::path(tag = "push", responses((status = 200, body = Vec<DeviceView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/devices")]
pub async fn mine(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<DeviceView>>> {
    let deputy = me(&p)?;
    Ok(web::Json(db::run(&state.db, move |c| Ok(store::devices_of(c, deputy)?.into_iter().map(view).collect())).await?))
}

/// Forget one of my devices (404 for anyone else's).
#[utoipa::path(tag = "push", params(("id" = i64, Path)), responses((status = 204, description = "forgotten"), WriteErrors), security(("bearer" = [])))]
#[delete("/api/v1/me/devices/{id}")]
pub async fn forget(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let (deputy, id) = (me(&p)?, id.into_inner());
    let gone = db::tx(&state.db, move |c| store::delete_device(c, deputy, id)).await?;
    if !gone {
        return Err(AppError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeadLetter {
    pub id: i64,
    pub notice_id: i64,
    pub deputy_id: i64,
    pub device_id: i64,
    pub dedup_id: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn installation_admin(p: &Principal) -> AppResult<()> {
    if p.role != Role::Admin || p.region_path.is_some() {
        return Err(AppError::forbidden(Code::Forbidden, "dead letters are handled by installation-wide admins"));
    }
    Ok(())
}

/// Pushes given up on, with the last error (installation-wide admins).
#[utoipa::path(tag = "push", params(PageQuery), responses((status = 200, body = Page<DeadLetter>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/push/dead-letters")]
pub async fn dead_letters(
    state: web::Data<AppState>,
    p: Principal,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<DeadLetter>>> {
    installation_admin(&p)?;
    let (after, limit) = (pq.after()?, pq.limit()?);
    let rows = db::run(&state.db, move |c| store::dead_letters(c, after, limit)).await?;
    Ok(web::Json(page(
        rows,
        limit,
        |r| r.0,
        |r| DeadLetter {
            id: r.0,
            notice_id: r.1,
            deputy_id: r.2,
            device_id: r.3,
            dedup_id: r.4,
            attempts: r.5,
            last_error: r.6,
            created_at: utc(r.7),
        },
    )))
}

/// Send a dead letter again, with the same dedup id (installation-wide admins).
#[utoipa::path(tag = "push", params(("id" = i64, Path)), responses((status = 204, description = "queued again"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/push/dead-letters/{id}/redrive")]
pub async fn redrive(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    installation_admin(&p)?;
    let (id, now) = (id.into_inner(), state.now());
    db::tx(&state.db, move |c| {
        if !store::redrive(c, id, now)? {
            return Err(AppError::not_found());
        }
        Entry::by(&p, "push.redrive", "push", id.to_string()).write(c, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
