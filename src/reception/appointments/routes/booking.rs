//! Routes: a constituent books a reception with a deputy on duty — in person at the station, or
//! online in a video room from the configured provider; the deputy confirms or declines; the
//! constituent may cancel. Both are reminded before a confirmed reception: the deputy by a notice
//! of their own (inbox and push), the constituent by SMS; both on the live stream.

use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::live::Wake;
use crate::platform::ratelimit;
use crate::reception::appointments::station::{text_booker, Texting};
use crate::reception::cases::routes::opinions::constituent;
use crate::reception::store::appointments::{self as store, AppointmentRow, NewAppointment};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// At most this many live bookings per deputy and duty slot.
const PER_SLOT: i64 = 8;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentCreate {
    /// A duty slot of the station's roster (see the station's public page).
    pub slot_id: i64,
    /// A deputy on duty in that slot.
    pub deputy_id: i64,
    /// in_person or online.
    pub mode: String,
    /// What the constituent wants to talk about (at most 500 characters).
    pub topic: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentDecision {
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AppointmentView {
    pub id: i64,
    pub deputy_id: i64,
    pub station_id: i64,
    pub slot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub mode: String,
    /// The video room of an online reception.
    pub video_url: Option<String>,
    pub topic: String,
    /// requested, confirmed, declined, cancelled (by the constituent) or cancelled_by_station
    /// (the slot was cancelled or changed, or the deputy withdrew).
    pub status: String,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn view(a: AppointmentRow) -> AppointmentView {
    AppointmentView {
        id: a.id,
        deputy_id: a.deputy_id,
        station_id: a.station_id,
        slot_id: a.slot_id,
        starts_at: utc(a.starts_at),
        mode: a.mode,
        video_url: a.video_url,
        topic: a.topic,
        status: a.status,
        note: a.note,
        created_at: utc(a.created_at),
    }
}

/// Live news of a booking for the deputy and the constituent.
pub(in crate::reception) fn tell(
    c: &mut AnyConnection,
    a: &AppointmentRow,
    now: NaiveDateTime,
) -> AppResult<Vec<Wake>> {
    let data = serde_json::json!({"appointment_id": a.id, "status": a.status, "starts_at": utc(a.starts_at)});
    let account = crate::reception::store::handling::constituent_account(c, a.constituent_id)?;
    Ok(vec![
        crate::live::record(c, Some(a.deputy_id), None, "appointment", &data, now)?,
        crate::live::record_for_account(c, account, "appointment", &data, now)?,
    ])
}

/// Book a reception with a deputy on duty (five bookings a day per constituent).
#[utoipa::path(tag = "reception", request_body = AppointmentCreate, responses((status = 201, body = AppointmentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/appointments")]
pub async fn book(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<AppointmentCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    if !matches!(b.mode.as_str(), "in_person" | "online") {
        return Err(AppError::invalid_field("mode", "invalid_value", "in_person or online"));
    }
    if let Some(e) = crate::org::rules::required_text("topic", &b.topic, 500) {
        return Err(AppError::validation(vec![e]));
    }
    let video = match (b.mode.as_str(), &state.settings.video_room_url) {
        ("online", Some(t)) => Some(t.replace("{room}", &format!("lvzhi-{}", uuid::Uuid::new_v4().simple()))),
        ("online", None) => {
            return Err(AppError::invalid_field(
                "mode",
                "online_unavailable",
                "online receptions are not configured here",
            ))
        }
        _ => None,
    };
    if p.role == Role::Constituent {
        ratelimit::hit(&state.cache, &state.clock, &format!("appointment:{}", p.account_id), 5, 86_400).await?;
    }
    let now = state.now();
    let (v, wakes) = db::tx(&state.db, move |c| {
        let me = constituent(c, &p)?;
        let ((station, starts, _), people) = crate::checkins::duty_slot(c, b.slot_id)?
            .ok_or_else(|| AppError::invalid_field("slot_id", "unknown_slot", "no duty slot has this id"))?;
        if starts <= now {
            return Err(AppError::invalid_field("slot_id", "slot_past", "the slot has begun"));
        }
        if !people.contains(&b.deputy_id) {
            return Err(AppError::invalid_field("deputy_id", "not_on_duty", "this deputy is not on duty in the slot"));
        }
        if store::live_in_slot(c, b.slot_id, b.deputy_id)? >= PER_SLOT {
            return Err(AppError::conflict(Code::SlotFull, "the deputy's slot is fully booked"));
        }
        let n = NewAppointment {
            constituent: me,
            deputy: b.deputy_id,
            station,
            slot: b.slot_id,
            starts_at: starts,
            mode: &b.mode,
            video_url: video.as_deref(),
            topic: b.topic.trim(),
        };
        let id = store::insert(c, &n, now)?
            .ok_or_else(|| AppError::conflict(Code::AlreadyBooked, "you already booked this deputy in this slot"))?;
        let a = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        let wakes = tell(c, &a, now)?;
        Ok((view(a), wakes))
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(HttpResponse::Created().json(v))
}

/// My bookings, newest first (a constituent's, or a deputy's receptions).
#[utoipa::path(tag = "reception", params(PageQuery), responses((status = 200, body = Page<AppointmentView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/appointments")]
pub async fn mine(
    state: web::Data<AppState>,
    p: Principal,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<AppointmentView>>> {
    let (before, limit) = (pq.after()?, pq.limit()?);
    let rows = db::run(&state.db, move |c| match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) => store::list(c, None, Some(d), before, limit),
        _ => {
            let me = constituent(c, &p)?;
            store::list(c, Some(me), None, before, limit)
        }
    })
    .await?;
    Ok(web::Json(page(rows, limit, |a| a.id, view)))
}

/// Changes a booking: (who may, from, to). 404 for someone else's booking.
async fn decide(
    state: &AppState,
    p: Principal,
    id: i64,
    to: &'static str,
    note: Option<String>,
) -> AppResult<web::Json<AppointmentView>> {
    let (now, pii, quiet, tz) = (state.now(), state.pii.clone(), state.settings.quiet_hours, state.settings.tz);
    let base = state.settings.public_base_url.clone();
    let (v, wakes) = db::tx(&state.db, move |c| {
        let a = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        let theirs = match to {
            "cancelled" => constituent(c, &p)? == a.constituent_id,
            _ if p.role == Role::Deputy => p.deputy_id == Some(a.deputy_id),
            _ => return Err(AppError::forbidden(Code::Forbidden, "the deputy booked confirms or declines")),
        };
        if !theirs {
            return Err(AppError::not_found());
        }
        let allowed = matches!(
            (a.status.as_str(), to),
            ("requested", "confirmed" | "declined") | ("requested" | "confirmed", "cancelled")
        );
        if !allowed || !store::set_status(c, a.id, &a.status, to, note.as_deref(), now)? {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                format!("a {} booking cannot become {to}", a.status),
            ));
        }
        let a = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        if matches!(to, "confirmed" | "declined") {
            // The person who booked hears of the deputy's answer by text too.
            let texting = Texting { pii: &pii, quiet, tz, base: base.as_deref() };
            text_booker(c, &texting, &a, to, a.note.as_deref(), now)?;
        }
        let wakes = tell(c, &a, now)?;
        Ok((view(a), wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(web::Json(v))
}

/// Confirm a reception booked with me (the deputy).
#[utoipa::path(tag = "reception", params(("id" = i64, Path)), responses((status = 200, body = AppointmentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/appointments/{id}/confirm")]
pub async fn confirm(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<AppointmentView>> {
    decide(&state, p, id.into_inner(), "confirmed", None).await
}

/// Decline a reception booked with me, saying why (the deputy).
#[utoipa::path(tag = "reception", params(("id" = i64, Path)), request_body = AppointmentDecision, responses((status = 200, body = AppointmentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/appointments/{id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<AppointmentDecision>,
) -> AppResult<web::Json<AppointmentView>> {
    let reason = body.into_inner().reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let reason = reason.ok_or_else(|| {
        AppError::invalid_field("reason", "required", "say why, so the constituent can book another time")
    })?;
    decide(&state, p, id.into_inner(), "declined", Some(reason)).await
}

/// Cancel my booking (the constituent).
#[utoipa::path(tag = "reception", params(("id" = i64, Path)), responses((status = 200, body = AppointmentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/appointments/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<AppointmentView>> {
    decide(&state, p, id.into_inner(), "cancelled", None).await
}
