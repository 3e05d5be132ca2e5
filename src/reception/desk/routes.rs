//! Routes: a station's day at its desk, and its bookings over a period (station staff, congress
//! staff in scope). Phone numbers of those who booked show masked.

use super::scope::staff_of;
use crate::auth::Principal;
use crate::checkins::{CheckinView, EventOfDay, SlotView};
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, ReadErrors};
use crate::reception::store::{appointments, handling as hs, intakes};
use crate::state::AppState;
use actix_web::{get, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Booking {
    pub id: i64,
    pub deputy_id: i64,
    pub starts_at: DateTime<Utc>,
    /// in_person or online.
    pub mode: String,
    pub topic: String,
    /// requested, confirmed, declined, cancelled or cancelled_by_station.
    pub status: String,
    /// `138****1234`.
    pub phone_masked: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WalkInOfDay {
    pub ticket: String,
    /// walk_in, phone, letter or reception.
    pub channel: String,
    pub title: String,
    pub status: String,
    pub filed_at: DateTime<Utc>,
    /// The name the person gave at the desk, if any.
    pub name: Option<String>,
}

/// A station's day.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationDay {
    pub station_id: i64,
    pub date: NaiveDate,
    /// Duty slots with who is on duty and, once settled, whether they came.
    pub slots: Vec<SlotView>,
    /// Check-ins made there that day (open ones have no `checked_out_at`; `pending_review`
    /// ones wait for staff).
    pub checkins: Vec<CheckinView>,
    pub events: Vec<EventOfDay>,
    pub bookings: Vec<Booking>,
    pub walk_ins: Vec<WalkInOfDay>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DayQuery {
    /// YYYY-MM-DD in the congress's time zone (today by default).
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PeriodQuery {
    /// First day, YYYY-MM-DD (today by default).
    pub from: Option<NaiveDate>,
    /// Last day, included (`from` + 13 by default; at most 62 days).
    pub to: Option<NaiveDate>,
}

fn bookings(
    c: &mut db::AnyConnection,
    pii: &crate::platform::pii::Pii,
    rows: Vec<appointments::AppointmentRow>,
) -> AppResult<Vec<Booking>> {
    let phones = hs::constituent_phones(c, pii, &rows.iter().map(|a| a.constituent_id).collect::<Vec<_>>())?;
    Ok(rows
        .into_iter()
        .map(|a| Booking {
            phone_masked: crate::org::rules::mask_phone(phones.get(&a.constituent_id).map_or("", String::as_str)),
            id: a.id,
            deputy_id: a.deputy_id,
            starts_at: utc(a.starts_at),
            mode: a.mode,
            topic: a.topic,
            status: a.status,
        })
        .collect())
}

/// A station's day at its desk: duty slots, check-ins, events, bookings (phones masked) and the
/// cases filed there (station staff, congress staff in scope).
#[utoipa::path(tag = "stations", params(("id" = i64, Path), DayQuery), responses((status = 200, body = StationDay), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/stations/{id}/day")]
pub async fn day(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<DayQuery>,
) -> AppResult<web::Json<StationDay>> {
    let (station, tz, pii) = (id.into_inner(), state.settings.tz, state.pii.clone());
    let date = q.date.unwrap_or_else(|| state.clock.now().with_timezone(&tz).date_naive());
    let day = db::run(&state.db, move |c| {
        staff_of(c, &p, station)?;
        let of = crate::checkins::station_day(c, station, date, tz)?;
        let (from, to) = crate::checkins::day_bounds(date, tz);
        let rows = appointments::of_station(c, station, from, to)?;
        let booked = bookings(c, &pii, rows)?;
        let mut walk_ins = vec![];
        for (ticket, channel, title, status, at, name) in intakes::filed_at(c, station, from, to)? {
            let name = name.map(|n| pii.open(crate::platform::pii::field::INTAKE_NAME, &n)).transpose()?;
            walk_ins.push(WalkInOfDay { ticket, channel, title, status, filed_at: utc(at), name });
        }
        Ok(StationDay {
            station_id: station,
            date,
            slots: of.slots,
            checkins: of.checkins,
            events: of.events,
            bookings: booked,
            walk_ins,
        })
    })
    .await?;
    Ok(web::Json(day))
}

/// A station's bookings over a period, soonest first (station staff, congress staff in scope).
#[utoipa::path(tag = "stations", params(("id" = i64, Path), PeriodQuery), responses((status = 200, body = Vec<Booking>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/stations/{id}/bookings")]
pub async fn period(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<PeriodQuery>,
) -> AppResult<web::Json<Vec<Booking>>> {
    let (station, tz, pii) = (id.into_inner(), state.settings.tz, state.pii.clone());
    let from = q.from.unwrap_or_else(|| state.clock.now().with_timezone(&tz).date_naive());
    let to = q.to.unwrap_or(from + chrono::Duration::days(13));
    if to < from || (to - from).num_days() > 62 {
        return Err(AppError::invalid_field("to", "out_of_range", "on or after `from`, at most 62 days later"));
    }
    let rows = db::run(&state.db, move |c| {
        staff_of(c, &p, station)?;
        let (start, _) = crate::checkins::day_bounds(from, tz);
        let (_, end) = crate::checkins::day_bounds(to, tz);
        let rows = appointments::of_station(c, station, start, end)?;
        bookings(c, &pii, rows)
    })
    .await?;
    Ok(web::Json(rows))
}
