//! Check-in queries: per-station monthly statistics and stations near a position.

use crate::auth::policy::{self, Action, Target};
use crate::auth::Principal;
use crate::checkins::geo::{self, CoordSystem};
use crate::checkins::on_duty::day_bounds;
use crate::checkins::store;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::state::AppState;
use actix_web::{get, web};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StationMonth {
    pub station_id: i64,
    /// YYYY-MM in the congress time zone.
    pub month: String,
    /// Accepted check-ins (receptions and activities held at the station).
    pub receptions: i64,
    pub distinct_deputies: i64,
    /// Sum of the durations of accepted, closed check-ins.
    pub deputy_hours: f64,
    /// From the activity records written for the station.
    pub constituents_received: i64,
    pub opinions_collected: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MonthQuery {
    /// YYYY-MM (default: the current month).
    pub month: Option<String>,
}

fn month_bounds(m: &str, tz: chrono_tz::Tz) -> AppResult<(NaiveDateTime, NaiveDateTime)> {
    let first = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
        .map_err(|_| AppError::invalid_field("month", "invalid_month", "YYYY-MM"))?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| AppError::invalid_field("month", "invalid_month", "YYYY-MM"))?;
    Ok((day_bounds(first, tz).0, day_bounds(next, tz).0))
}

fn month_stats(
    conn: &mut AnyConnection,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<(i64, i64, f64, i64, i64)> {
    let rows = store::accepted_at_station(conn, station, from, to)?;
    let mut deputies: Vec<i64> = rows.iter().map(|r| r.0).collect();
    deputies.sort_unstable();
    deputies.dedup();
    let hours: f64 = rows.iter().filter_map(|r| r.2.map(|o| (o - r.1).num_seconds() as f64 / 3600.0)).sum();
    let acts = store::activity_counts(conn, station, from, to)?;
    let (people, opinions) = acts.iter().fold((0i64, 0i64), |(p, o), (x, y)| (p + *x as i64, o + *y as i64));
    Ok((rows.len() as i64, deputies.len() as i64, (hours * 10.0).round() / 10.0, people, opinions))
}

/// Monthly statistics of a station (staff and admins in scope).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path), MonthQuery), responses((status = 200, body = StationMonth), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/stations/{id}/stats")]
pub async fn station_month(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<MonthQuery>,
) -> AppResult<web::Json<StationMonth>> {
    let id = id.into_inner();
    let tz = state.settings.tz;
    let month =
        q.into_inner().month.unwrap_or_else(|| state.clock.now().with_timezone(&tz).format("%Y-%m").to_string());
    let (from, to) = month_bounds(&month, tz)?;
    let s = db::run(&state.db, move |conn| {
        let (_, path) = crate::org::station_region(conn, id)?.ok_or_else(AppError::not_found)?;
        if p.role == crate::auth::Role::Deputy {
            return Err(AppError::forbidden(Code::Forbidden, "station statistics are for staff"));
        }
        policy::authorize(&p, Action::Read, &Target::station(id, path))?;
        month_stats(conn, id, from, to)
    })
    .await?;
    Ok(web::Json(StationMonth {
        station_id: id,
        month,
        receptions: s.0,
        distinct_deputies: s.1,
        deputy_hours: s.2,
        constituents_received: s.3,
        opinions_collected: s.4,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct NearQuery {
    pub latitude: f64,
    pub longitude: f64,
    /// wgs84 (default), gcj02 or bd09.
    pub coord_system: Option<String>,
    /// Radius in km (default 5, at most 100).
    pub km: Option<f64>,
    /// At most this many (default 20, at most 100).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NearStation {
    pub id: i64,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    pub distance_m: f64,
}

/// Liaison stations near a position, nearest first (public, no login).
#[utoipa::path(tag = "public", params(NearQuery), responses((status = 200, body = Vec<NearStation>), (status = 422, body = crate::error::Problem)))]
#[get("/api/v1/public/stations/near")]
pub async fn near(state: web::Data<AppState>, q: web::Query<NearQuery>) -> AppResult<web::Json<Vec<NearStation>>> {
    let q = q.into_inner();
    let sys = CoordSystem::parse(q.coord_system.as_deref().unwrap_or("wgs84"))
        .ok_or_else(|| AppError::invalid_field("coord_system", "invalid_value", "wgs84, gcj02 or bd09"))?;
    if !(-90.0..=90.0).contains(&q.latitude) || !(-180.0..=180.0).contains(&q.longitude) {
        return Err(AppError::invalid_field("latitude", "out_of_range", "a position on Earth"));
    }
    let km = q.km.unwrap_or(5.0).clamp(0.1, 100.0);
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    let here = geo::to_wgs84(sys, q.latitude, q.longitude);
    let all = db::run(&state.db, crate::org::all_station_geos).await?;
    let mut out: Vec<NearStation> = all
        .into_iter()
        .map(|s| NearStation {
            distance_m: geo::distance_m(here, (s.latitude, s.longitude)).round(),
            id: s.id,
            name: s.name,
            latitude: s.latitude,
            longitude: s.longitude,
        })
        .filter(|s| s.distance_m <= km * 1000.0)
        .collect();
    out.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    out.truncate(limit);
    Ok(web::Json(out))
}
