//! Meetings (the API calls them events) — meetings, trainings, inspections and group activities (会议 / 培训 / 视察调研 / 小组活动):
//! a venue (a station, or a place with coordinates and radius), a time range, invitees (deputies
//! the creator holds) and a rotating QR of their own. An event that started over an hour before
//! it was created records the past (see `attendance`).

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::checkins::model::QrToken;
use crate::checkins::places;
use crate::checkins::qr::{Place, WINDOW_SECS};
use crate::checkins::store::meetings::{self as store, NewMeeting};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const KINDS: [&str; 5] = ["meeting", "training", "inspection", "group_activity", "sitting_in"];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventCreate {
    /// meeting, training, inspection, group_activity or sitting_in (列席: a standing-committee
    /// meeting that deputies attend without a vote).
    pub kind: String,
    pub title: String,
    pub region_id: i64,
    /// Held at a station (its position and radius are used)…
    pub station_id: Option<i64>,
    /// …or at a place: name, WGS-84 position and radius (default 300 m).
    pub venue: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub radius_m: Option<i32>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default)]
    pub invitee_ids: Vec<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Invitee {
    pub deputy_id: i64,
    pub leave_approved: bool,
    /// attended, excused or absent, once the event is closed.
    pub attendance: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventView {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub region_id: i64,
    pub station_id: Option<i64>,
    pub venue: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: i32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub invitees: Vec<Invitee>,
}

pub(super) fn load(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(EventView, String)>> {
    let Some((x, path)) = store::get(conn, id)? else { return Ok(None) };
    let inv = store::invitees(conn, id)?;
    Ok(Some((
        EventView {
            id: x.0,
            region_id: x.1,
            kind: x.2,
            title: x.3,
            station_id: x.4,
            venue: x.5,
            latitude: x.6,
            longitude: x.7,
            radius_m: x.8,
            starts_at: utc(x.9),
            ends_at: utc(x.10),
            closed_at: x.11.map(utc),
            invitees: inv
                .into_iter()
                .map(|(deputy_id, leave_approved, attendance)| Invitee { deputy_id, leave_approved, attendance })
                .collect(),
        },
        path,
    )))
}

/// How long after its start an event may still be created as a live one (late staff).
const LIVE_GRACE_MINUTES: i64 = 60;

/// Whether an event starting at `starts` and created at `created` records the past.
pub(super) fn retroactive(starts: NaiveDateTime, created: NaiveDateTime) -> bool {
    starts < created - chrono::Duration::minutes(LIVE_GRACE_MINUTES)
}

/// Staff in scope (admins of the region, staff of the event's station) may manage an event.
pub(super) fn manage(conn: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(EventView, String)> {
    let (v, path) = load(conn, id)?.ok_or_else(AppError::not_found)?;
    let t = match v.station_id {
        Some(s) => Target::station(s, path.clone()),
        None => Target::new(Kind::Station, path.clone()),
    };
    if p.role == Role::StationStaff && v.station_id.is_none() {
        return Err(AppError::not_found());
    }
    policy::station_duty(p, &t)?;
    Ok((v, path))
}

/// Create an event with its invitees (admins in scope; station staff for events at their station).
#[utoipa::path(tag = "events", request_body = EventCreate, responses((status = 201, body = EventView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/events")]
pub async fn create(state: web::Data<AppState>, p: Principal, body: web::Json<EventCreate>) -> AppResult<HttpResponse> {
    if !matches!(p.role, Role::Admin | Role::StationStaff) {
        return Err(AppError::forbidden(Code::Forbidden, "events are created by congress and station staff"));
    }
    let b = body.into_inner();
    let mut errs = vec![];
    if !KINDS.contains(&b.kind.as_str()) {
        errs.push(FieldError::new(
            "kind",
            "invalid_value",
            "meeting, training, inspection, group_activity or sitting_in",
        ));
    }
    errs.extend(crate::org::rules::required_text("title", &b.title, 200));
    if b.ends_at <= b.starts_at {
        errs.push(FieldError::new("ends_at", "invalid_range", "an event ends after it starts"));
    }
    if b.station_id.is_none() && (b.latitude.is_none() || b.longitude.is_none()) {
        errs.push(FieldError::new(
            "station_id",
            "venue_required",
            "give a station, or a place with latitude and longitude",
        ));
    }
    if let (Some(lat), Some(lng)) = (b.latitude, b.longitude) {
        errs.extend(crate::org::rules::check_position(lat, lng));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    // An event that started over an hour ago is a record of what happened: congress staff record
    // it, and the absences it causes go through maker-checker when it is closed.
    if retroactive(db::ts(b.starts_at), now) && p.role != Role::Admin {
        return Err(AppError::invalid_field(
            "starts_at",
            "starts_in_past",
            "an event that has already taken place is recorded by congress staff",
        ));
    }
    let view = db::tx(&state.db, move |conn| {
        let path = crate::org::region_path(conn, b.region_id)?.ok_or_else(AppError::not_found)?;
        let (pos, radius) = match b.station_id {
            Some(s) => {
                let g = crate::org::station_geo(conn, s)?.ok_or_else(AppError::not_found)?;
                policy::authorize(&p, Action::Write, &Target::station(s, g.region_path.clone()))?;
                // Station staff hold events at their station, in a region that contains it.
                if p.role == Role::StationStaff && !g.region_path.starts_with(path.as_str()) {
                    return Err(AppError::not_found());
                }
                ((g.latitude, g.longitude), b.radius_m.unwrap_or(g.radius_m))
            }
            None => ((b.latitude.unwrap_or_default(), b.longitude.unwrap_or_default()), b.radius_m.unwrap_or(300)),
        };
        if p.role != Role::StationStaff {
            policy::authorize(&p, Action::Write, &Target::new(Kind::Station, path.clone()))?;
        } else if b.station_id.is_none() {
            return Err(AppError::not_found());
        }
        let m = NewMeeting {
            region_id: b.region_id,
            kind: &b.kind,
            title: b.title.trim(),
            station_id: b.station_id,
            venue: b.venue.as_deref(),
            pos,
            radius_m: radius,
            starts_at: db::ts(b.starts_at),
            ends_at: db::ts(b.ends_at),
            by: p.account_id,
            now,
        };
        let id = store::insert(conn, &m)?;
        let mut ids = b.invitee_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        // Every invitee is a deputy the caller holds; one outside the caller's scope answers
        // exactly like a missing one.
        if !crate::org::deputies_not_held(conn, &p, &ids)?.is_empty() {
            return Err(AppError::invalid_field(
                "invitee_ids",
                "unknown_deputy",
                "every invitee must be a deputy in your scope",
            ));
        }
        store::invite(conn, id, &ids)?;
        Entry::by(&p, "event.create", "event", id.to_string()).region(Some(path)).write(conn, now)?;
        Ok(load(conn, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Read an event (staff in scope, or an invited deputy).
#[utoipa::path(tag = "events", params(("id" = i64, Path)), responses((status = 200, body = EventView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/events/{id}")]
pub async fn get_one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<EventView>> {
    let id = id.into_inner();
    let v = db::run(&state.db, move |conn| {
        if p.role == Role::Deputy {
            let (v, _) = load(conn, id)?.ok_or_else(AppError::not_found)?;
            return if v.invitees.iter().any(|i| Some(i.deputy_id) == p.deputy_id) {
                Ok(v)
            } else {
                Err(AppError::not_found())
            };
        }
        Ok(manage(conn, &p, id)?.0)
    })
    .await?;
    Ok(web::Json(v))
}

/// The event's current check-in QR token (staff managing it).
#[utoipa::path(tag = "events", params(("id" = i64, Path)), responses((status = 200, body = QrToken), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/events/{id}/qr")]
pub async fn qr(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<QrToken>> {
    let id = id.into_inner();
    let now = state.clock.now();
    let (token, expires, svg) = db::tx(&state.db, move |conn| {
        manage(conn, &p, id)?;
        places::current(conn, Place::Event(id), now)
    })
    .await?;
    Ok(web::Json(QrToken {
        station_id: None,
        event_id: Some(id),
        token,
        expires_at: DateTime::from_timestamp(expires, 0).unwrap_or(now),
        window_secs: WINDOW_SECS,
        svg,
    }))
}
