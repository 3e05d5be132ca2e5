//! Routes for station QR tokens, kiosk keys and check-ins.

use super::model::{CheckinQuery, CheckinRequest, CheckinView, KioskKey, PositionView, QrToken, ReviewRequest};
use super::qr::{Place, WINDOW_SECS};
use super::{places, service, store};
use crate::audit::Entry;
use crate::auth::policy::{self, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::platform::idempotency::IdemKey;
use crate::platform::route_table::RouteTable;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct KeyQuery {
    /// The station's kiosk key (instead of a bearer token).
    pub key: Option<String>,
}

/// Station staff (of this station) or admins in scope may manage its QR codes.
fn staff_of(c: &mut crate::db::AnyConnection, p: &Principal, station: i64) -> AppResult<String> {
    let (_, path) = crate::org::station_region(c, station)?.ok_or_else(AppError::not_found)?;
    policy::station_duty(p, &Target::station(station, path.clone()))?;
    Ok(path)
}

/// The station's current check-in QR token (station staff, or the kiosk with `?key=`).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path), KeyQuery), responses((status = 200, body = QrToken), ReadErrors), security(("bearer" = []), ()))]
#[get("/api/v1/stations/{id}/qr")]
pub async fn qr(
    state: web::Data<AppState>,
    p: Option<Principal>,
    id: web::Path<i64>,
    q: web::Query<KeyQuery>,
) -> AppResult<web::Json<QrToken>> {
    let id = id.into_inner();
    let key = q.into_inner().key;
    if key.is_none() && p.is_none() {
        return Err(AppError::unauthorized("a bearer token or the kiosk key is required"));
    }
    let now = state.clock.now();
    let (token, expires, svg) = db::tx(&state.db, move |c| {
        match (&key, &p) {
            (Some(k), _) => places::check_kiosk_key(c, id, k)?,
            (None, Some(p)) => {
                staff_of(c, p, id)?;
            }
            (None, None) => return Err(AppError::unauthorized("a bearer token or the kiosk key is required")),
        }
        places::current(c, Place::Station(id), now)
    })
    .await?;
    Ok(web::Json(QrToken {
        station_id: Some(id),
        event_id: None,
        token,
        expires_at: chrono::DateTime::from_timestamp(expires, 0).unwrap_or(now),
        window_secs: WINDOW_SECS,
        svg,
    }))
}

/// Rotate the station's QR secret: every token issued before stops working at once.
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 204, description = "rotated"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/stations/{id}/qr/rotate")]
pub async fn rotate(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    db::tx(&state.db, move |c| {
        let path = staff_of(c, &p, id)?;
        places::rotate(c, Place::Station(id), now)?;
        Entry::by(&p, "station.qr_rotate", "station", id.to_string()).region(Some(path)).write(c, now)
    })
    .await?;
    super::venues::invalidate(&state, Place::Station(id)).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Issue a new kiosk key for the station's tablet (shown once; the previous key stops working).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 201, body = KioskKey), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/stations/{id}/kiosk-key")]
pub async fn kiosk_key(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    let key = db::tx(&state.db, move |c| {
        let path = staff_of(c, &p, id)?;
        let key = places::new_kiosk_key(c, id, now)?;
        Entry::by(&p, "station.kiosk_key", "station", id.to_string()).region(Some(path)).write(c, now)?;
        Ok(key)
    })
    .await?;
    Ok(HttpResponse::Created().json(KioskKey {
        station_id: id,
        kiosk_url: format!("/kiosk/stations/{id}?key={key}"),
        kiosk_key: key,
    }))
}

/// Check in at a station or event (deputies for themselves; station staff for a deputy who is present).
/// Send an `Idempotency-Key`: a retry with the same key and body returns the first answer.
#[utoipa::path(
    tag = "checkins",
    params(("Idempotency-Key" = Option<String>, Header, description = "retry-safe key, 1–128 characters")),
    request_body = CheckinRequest,
    responses(
        (status = 201, body = CheckinView, description = "recorded: `accepted`, or `pending_review` with the reasons"),
        (status = 200, body = CheckinView, description = "the open check-in at the same place (a repeat within 10 minutes)"),
        WriteErrors
    ),
    security(("bearer" = []))
)]
#[post("/api/v1/checkins")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    body: web::Json<CheckinRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let key = IdemKey::from_request(&req, p.account_id, &body)?;
    Ok(service::check_in(&state, p, body, key).await?.into_response())
}

/// Check out (the deputy, or staff of the station); records the duration.
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 200, body = CheckinView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/checkins/{id}/checkout")]
pub async fn checkout(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<CheckinView>> {
    Ok(web::Json(service::check_out(&state, p, id.into_inner()).await?))
}

/// Approve or reject a check-in pending review (staff of its station, or admins in scope).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), request_body = ReviewRequest, responses((status = 200, body = CheckinView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/checkins/{id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ReviewRequest>,
) -> AppResult<web::Json<CheckinView>> {
    let b = body.into_inner();
    let approve = match b.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::invalid_field("decision", "invalid_value", "approve or reject")),
    };
    let reason = b.reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(AppError::invalid_field("reason", "required", "say why the check-in is rejected"));
    }
    Ok(web::Json(service::review(&state, p, id.into_inner(), approve, reason).await?))
}

/// One check-in (the deputy's own, or at a station in your care).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 200, body = CheckinView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/checkins/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<CheckinView>> {
    let id = id.into_inner();
    let v = db::run(&state.db, move |c| {
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        if !(p.role == Role::Deputy && p.deputy_id == Some(row.deputy_id)) {
            // Another deputy's check-in is as if it did not exist.
            if p.role == Role::Deputy {
                return Err(AppError::not_found());
            }
            let t = match row.station_id {
                Some(s) => Target::station(s, crate::org::station_region(c, s)?.map(|x| x.1).unwrap_or_default()),
                None => Target::new(Kind::Station, String::new()),
            };
            policy::station_duty(&p, &t)?;
        }
        Ok(service::view(row))
    })
    .await?;
    Ok(web::Json(v))
}

/// Where the deputy was when checking in, in WGS-84 (the deputy, staff of the station, admins in
/// scope). Positions are sealed at rest and lists never show them; every read is audited.
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 200, body = PositionView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/checkins/{id}/position")]
pub async fn position(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<PositionView>> {
    Ok(web::Json(service::read_position(&state, p, id.into_inner()).await?))
}

/// My check-ins, newest last (deputies).
#[utoipa::path(tag = "checkins", params(PageQuery), responses((status = 200, body = Page<CheckinView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/checkins")]
pub async fn mine(
    state: web::Data<AppState>,
    p: Principal,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<CheckinView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    let f = store::ListFilter { deputy_id: Some(me), station_ids: None, status: None, from: None, to: None };
    let rows = db::run(&state.db, move |c| store::list(c, &f, after, limit + 1)).await?;
    Ok(web::Json(page(rows, limit, |r| r.id, service::view)))
}

/// Check-ins at a station (optionally one day, in the congress time zone, and a status): staff in scope.
#[utoipa::path(tag = "checkins", params(CheckinQuery, PageQuery), responses((status = 200, body = Page<CheckinView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/checkins")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<CheckinQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<CheckinView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let q = q.into_inner();
    let station = q.station_id.ok_or_else(|| AppError::invalid_field("station_id", "required", "name the station"))?;
    let (from, to) = match q.date.as_deref() {
        Some(d) => {
            let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| AppError::invalid_field("date", "invalid_date", "YYYY-MM-DD"))?;
            let (a, b) = super::stats::day_bounds(day, state.settings.tz);
            (Some(a), Some(b))
        }
        None => (None, None),
    };
    let rows = db::run(&state.db, move |c| {
        let (_, path) = crate::org::station_region(c, station)?.ok_or_else(AppError::not_found)?;
        if p.role == Role::Deputy {
            return Err(AppError::forbidden(Code::Forbidden, "deputies see their own check-ins at /me/checkins"));
        }
        policy::station_duty(&p, &Target::station(station, path))?;
        let f = store::ListFilter { deputy_id: None, station_ids: Some(vec![station]), status: q.status, from, to };
        store::list(c, &f, after, limit + 1)
    })
    .await?;
    Ok(web::Json(page(rows, limit, |r| r.id, service::view)))
}

/// Registers the busiest checkins routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(create);
}

/// Registers the checkins routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(qr)
        .add(rotate)
        .add(kiosk_key)
        .add(checkout)
        .add(review)
        .add(get_one)
        .add(position)
        .add(mine)
        .add(list)
        .add(super::stats::station_month)
        .add(super::stats::near)
        .add(super::roster::create_slot)
        .add(super::roster::signup)
        .add(super::roster::duty_board)
        .add(super::kiosk::page)
        .add(super::meetings::create)
        .add(super::meetings::get_one)
        .add(super::meetings::qr)
        .add(super::attendance::approve_leave)
        .add(super::attendance::close)
        .add(super::activity::create)
        .add(super::activity::mine);
}
