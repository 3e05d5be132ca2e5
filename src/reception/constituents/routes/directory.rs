//! The public directory behind the printed codes (码上见代表): one stable URL per deputy and
//! station code opens its reception page — a deputy's public profile (never a phone number), or
//! a station's address, opening hours, its deputies and who is on duty this week. No login.

use crate::db;
use crate::error::{AppError, AppResult, Problem};
use crate::state::AppState;
use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicSeat {
    pub level: String,
    pub region: String,
    pub group: Option<String>,
    pub term: i32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicDeputy {
    pub code: String,
    pub name: String,
    pub photo_url: Option<String>,
    pub introduction: Option<String>,
    pub seats: Vec<PublicSeat>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeputyBrief {
    pub code: String,
    pub name: String,
    pub photo_url: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicDuty {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub deputies: Vec<DeputyBrief>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicStation {
    pub code: String,
    /// For the station's public duty board and the stations-near list.
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    pub opening_hours: Option<String>,
    /// The station's office number (not a person's).
    pub contact_phone: Option<String>,
    /// Deputies on its reception roster.
    pub deputies: Vec<DeputyBrief>,
    /// On duty in the next 7 days, today included.
    pub this_week: Vec<PublicDuty>,
}

/// What a printed code opens.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicPage {
    /// deputy or station.
    pub kind: String,
    pub deputy: Option<PublicDeputy>,
    pub station: Option<PublicStation>,
}

fn briefs(c: &mut db::AnyConnection, ids: &[i64]) -> AppResult<std::collections::HashMap<i64, DeputyBrief>> {
    Ok(crate::org::public_briefs(c, ids)?
        .into_iter()
        .map(|(id, name, code, photo_url)| (id, DeputyBrief { code, name, photo_url }))
        .collect())
}

/// The reception page behind a printed code: a deputy's public profile or a station's page
/// (404 for an unknown code).
#[utoipa::path(tag = "public", params(("code" = String, Path)), responses((status = 200, body = PublicPage), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/public/pages/{code}")]
pub async fn page(state: web::Data<AppState>, code: web::Path<String>) -> AppResult<web::Json<PublicPage>> {
    let code = code.into_inner();
    if code.len() > 64 {
        return Err(AppError::not_found());
    }
    let (tz, today) = (state.settings.tz, state.clock.now().with_timezone(&state.settings.tz).date_naive());
    let page = db::run(&state.db, move |c| {
        if let Some((id, name, photo_url, introduction)) = crate::org::public_deputy(c, &code)? {
            let seats = crate::org::public_seats(c, id)?
                .into_iter()
                .map(|(level, region, group, term)| PublicSeat { level, region, group, term })
                .collect();
            let deputy = PublicDeputy { code, name, photo_url, introduction, seats };
            return Ok(PublicPage { kind: "deputy".into(), deputy: Some(deputy), station: None });
        }
        let s = crate::org::station_by_code(c, &code)?.ok_or_else(AppError::not_found)?;
        let roster = crate::checkins::station_deputies(c, s.id)?;
        let week = crate::checkins::duty_week(c, s.id, today, tz)?;
        let mut everyone: Vec<i64> = roster.clone();
        everyone.extend(week.iter().flat_map(|w| w.deputies.iter().map(|d| d.deputy_id)));
        let b = briefs(c, &everyone)?;
        let station = PublicStation {
            code: s.public_code,
            id: s.id,
            kind: s.kind,
            name: s.name,
            address: s.address,
            latitude: s.latitude,
            longitude: s.longitude,
            opening_hours: s.opening_hours,
            contact_phone: s.contact_phone,
            deputies: roster.iter().filter_map(|d| b.get(d).cloned()).collect(),
            this_week: week
                .into_iter()
                .map(|w| PublicDuty {
                    starts_at: w.starts_at,
                    ends_at: w.ends_at,
                    deputies: w.deputies.iter().filter_map(|d| b.get(&d.deputy_id).cloned()).collect(),
                })
                .collect(),
        };
        Ok(PublicPage { kind: "station".into(), deputy: None, station: Some(station) })
    })
    .await?;
    Ok(web::Json(page))
}
