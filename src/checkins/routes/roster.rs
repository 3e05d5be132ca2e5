//! The duty roster (接待日): reception slots at a station with the deputies on duty, sign-up,
//! the public "who is on duty" list, and no-show settlement when a slot ends.

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Target};
use crate::auth::{Principal, Role};
use crate::checkins::model::SlotView;
use crate::checkins::on_duty::{day_bounds, days, deputy_days, slots_between};
use crate::checkins::store::roster as store;
use crate::db::{self};
use crate::error::{AppError, AppResult, Code, Problem, WriteErrors};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotCreate {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default)]
    pub deputy_ids: Vec<i64>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DutyBoard {
    pub station_id: i64,
    pub today: Vec<SlotView>,
    /// The next `days` days (7 unless asked otherwise), today included.
    pub week: Vec<SlotView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DaysQuery {
    /// How many days ahead, today included: 1–14 (7 by default; booking looks 14 ahead).
    pub days: Option<i64>,
}

/// A deputy's reception duty at every station for the next 14 days (public).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeputyDuty {
    pub code: String,
    /// Each slot names only this deputy.
    pub week: Vec<SlotView>,
}

/// Publish a reception slot with the deputies on duty (station staff or admins in scope).
#[utoipa::path(tag = "roster", params(("id" = i64, Path)), request_body = SlotCreate, responses((status = 201, body = SlotView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/stations/{id}/slots")]
pub async fn create_slot(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<SlotCreate>,
) -> AppResult<HttpResponse> {
    let (station, b) = (id.into_inner(), body.into_inner());
    if b.ends_at <= b.starts_at || b.ends_at - b.starts_at > chrono::Duration::hours(12) {
        return Err(AppError::invalid_field(
            "ends_at",
            "invalid_range",
            "a slot ends after it starts, within 12 hours",
        ));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |conn| {
        let (_, path) = crate::org::station_region(conn, station)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::station(station, path.clone()))?;
        let id = store::insert_slot(conn, station, db::ts(b.starts_at), db::ts(b.ends_at), b.note.as_deref(), now)?;
        // Every deputy on duty is one the caller holds (the station's area for its staff); any
        // other answers like a missing one.
        if !crate::org::deputies_not_held(conn, &p, &b.deputy_ids)?.is_empty() {
            return Err(AppError::invalid_field(
                "deputy_ids",
                "unknown_deputy",
                "every deputy on duty must be a deputy you hold",
            ));
        }
        let known = crate::org::deputy_names(conn, &b.deputy_ids)?;
        for (d, _) in &known {
            store::assign(conn, id, *d)?;
        }
        Entry::by(&p, "roster.create_slot", "duty_slot", id.to_string()).region(Some(path)).write(conn, now)?;
        slots_between(conn, station, db::ts(b.starts_at), db::ts(b.ends_at))?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Sign up for a slot (deputies, for themselves).
#[utoipa::path(tag = "roster", params(("id" = i64, Path)), responses((status = 204, description = "signed up"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/slots/{id}/signup")]
pub async fn signup(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let slot = id.into_inner();
    let me = match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) => d,
        _ => return Err(AppError::forbidden(Code::Forbidden, "deputies sign up for themselves")),
    };
    let now = state.now();
    db::tx(&state.db, move |conn| {
        let (_, _, ends) = store::slot_times(conn, slot)?.ok_or_else(AppError::not_found)?;
        if ends <= now {
            return Err(AppError::conflict(Code::SlotOver, "this slot has already ended"));
        }
        store::assign(conn, slot, me)?;
        Entry::by(&p, "roster.signup", "duty_slot", slot.to_string()).write(conn, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who is on duty at a station today and in the coming days (public, no login: the cloud
/// reception room uses it; `days` up to 14 for booking).
#[utoipa::path(tag = "public", params(("id" = i64, Path), DaysQuery), responses((status = 200, body = DutyBoard), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/public/stations/{id}/duty")]
pub async fn duty_board(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<DaysQuery>,
) -> AppResult<web::Json<DutyBoard>> {
    let station = id.into_inner();
    let n = ahead(q.days)?;
    let tz = state.settings.tz;
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let board = db::run(&state.db, move |conn| {
        crate::org::station_region(conn, station)?.ok_or_else(AppError::not_found)?;
        let (from, to) = day_bounds(today, tz);
        Ok(DutyBoard {
            station_id: station,
            today: slots_between(conn, station, from, to)?,
            week: days(conn, station, today, n, tz)?,
        })
    })
    .await?;
    Ok(web::Json(board))
}

fn ahead(days: Option<i64>) -> AppResult<i64> {
    match days.unwrap_or(7) {
        n @ 1..=14 => Ok(n),
        _ => Err(AppError::invalid_field("days", "out_of_range", "1 to 14")),
    }
}

/// A deputy's reception duty at every station for the next 14 days, by the deputy's printed
/// code (public: the booking page of a deputy's card uses it).
#[utoipa::path(tag = "public", params(("code" = String, Path)), responses((status = 200, body = DeputyDuty), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/public/deputies/{code}/duty")]
pub async fn deputy_duty(state: web::Data<AppState>, code: web::Path<String>) -> AppResult<web::Json<DeputyDuty>> {
    let code = code.into_inner();
    let tz = state.settings.tz;
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let duty = db::run(&state.db, move |conn| {
        let (deputy, ..) = crate::org::public_deputy(conn, &code)?.ok_or_else(AppError::not_found)?;
        Ok(DeputyDuty { week: deputy_days(conn, deputy, today, 14, tz)?, code })
    })
    .await?;
    Ok(web::Json(duty))
}
