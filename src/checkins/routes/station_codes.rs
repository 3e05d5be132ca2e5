//! Routes for a station's codes: the rotating QR shown at the station, rotating its secret, and the
//! kiosk key of the station's screen.

use crate::audit::Entry;
use crate::auth::policy::{self, Target};
use crate::auth::Principal;
use crate::checkins::model::{KioskKey, QrToken};
use crate::checkins::places;
use crate::checkins::qr::{Place, WINDOW_SECS};
use crate::db;
use crate::error::{AppError, AppResult, ReadErrors, WriteErrors};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

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
    crate::checkins::venues::invalidate(&state, Place::Station(id)).await;
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

#[derive(Debug, Deserialize, IntoParams)]
pub struct KeyQuery {
    /// The station's kiosk key (instead of a bearer token).
    pub key: Option<String>,
}
