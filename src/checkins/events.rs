//! Events — meetings, trainings, inspections and group activities (会议 / 培训 / 视察调研 / 小组活动):
//! a venue (a station, or a place with coordinates and radius), a time range, invitees and a
//! rotating QR of their own. Closing an event makes each invitee's attendance final (attended,
//! excused, absent) and reports it to the ledger once.

use super::model::QrToken;
use super::places;
use super::qr::{Place, WINDOW_SECS};
use super::store as checkin_store;
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::schema::{checkins as c, event_invitees as ei, events as e, regions as r};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, FieldError, ReadErrors, WriteErrors};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const KINDS: [&str; 4] = ["meeting", "training", "inspection", "group_activity"];

/// Where an event is: position (WGS-84), radius, region path, station.
pub struct EventVenue {
    pub pos: (f64, f64),
    pub radius_m: f64,
    pub region_path: String,
    pub station_id: Option<i64>,
}

pub fn venue(conn: &mut AnyConnection, id: i64) -> AppResult<Option<EventVenue>> {
    let row: Option<(f64, f64, i32, String, Option<i64>)> = e::table
        .inner_join(r::table.on(r::id.eq(e::region_id)))
        .filter(e::id.eq(id))
        .select((e::latitude, e::longitude, e::radius_m, r::path, e::station_id))
        .first(conn)
        .optional()?;
    Ok(row.map(|(lat, lng, rad, region_path, station_id)| EventVenue { pos: (lat, lng), radius_m: rad as f64, region_path, station_id }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventCreate {
    /// meeting, training, inspection or group_activity.
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

type EventRow = (i64, i64, String, String, Option<i64>, Option<String>, f64, f64, i32, NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>);

fn load(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(EventView, String)>> {
    let row: Option<(EventRow, String)> = e::table
        .inner_join(r::table.on(r::id.eq(e::region_id)))
        .filter(e::id.eq(id))
        .select((
            (e::id, e::region_id, e::kind, e::title, e::station_id, e::venue, e::latitude, e::longitude, e::radius_m, e::starts_at, e::ends_at, e::closed_at),
            r::path,
        ))
        .first(conn)
        .optional()?;
    let Some((x, path)) = row else { return Ok(None) };
    let inv: Vec<(i64, bool, Option<String>)> =
        ei::table.filter(ei::event_id.eq(id)).order(ei::deputy_id).select((ei::deputy_id, ei::leave_approved, ei::attendance)).load(conn)?;
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
            invitees: inv.into_iter().map(|(deputy_id, leave_approved, attendance)| Invitee { deputy_id, leave_approved, attendance }).collect(),
        },
        path,
    )))
}

/// Staff in scope (admins of the region, staff of the event's station) may manage an event.
fn manage(conn: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(EventView, String)> {
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
        return Err(AppError::forbidden("forbidden", "events are created by congress and station staff"));
    }
    let b = body.into_inner();
    let mut errs = vec![];
    if !KINDS.contains(&b.kind.as_str()) {
        errs.push(FieldError::new("kind", "invalid_value", "meeting, training, inspection or group_activity"));
    }
    errs.extend(crate::org::rules::required_text("title", &b.title, 200));
    if b.ends_at <= b.starts_at {
        errs.push(FieldError::new("ends_at", "invalid_range", "an event ends after it starts"));
    }
    if b.station_id.is_none() && (b.latitude.is_none() || b.longitude.is_none()) {
        errs.push(FieldError::new("station_id", "venue_required", "give a station, or a place with latitude and longitude"));
    }
    if let (Some(lat), Some(lng)) = (b.latitude, b.longitude) {
        errs.extend(crate::org::rules::check_position(lat, lng));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |conn| {
        let path = crate::org::region_path(conn, b.region_id)?.ok_or_else(AppError::not_found)?;
        let (pos, radius) = match b.station_id {
            Some(s) => {
                let g = crate::org::station_geo(conn, s)?.ok_or_else(AppError::not_found)?;
                policy::authorize(&p, Action::Write, &Target::station(s, g.region_path))?;
                ((g.latitude, g.longitude), b.radius_m.unwrap_or(g.radius_m))
            }
            None => ((b.latitude.unwrap_or_default(), b.longitude.unwrap_or_default()), b.radius_m.unwrap_or(300)),
        };
        policy::authorize(&p, Action::Write, &Target::new(Kind::Station, path.clone())).or_else(|e| {
            if p.role == Role::StationStaff && b.station_id.is_some() {
                Ok(())
            } else {
                Err(e)
            }
        })?;
        let id: i64 = diesel::insert_into(e::table)
            .values((
                e::region_id.eq(b.region_id),
                e::kind.eq(&b.kind),
                e::title.eq(b.title.trim()),
                e::station_id.eq(b.station_id),
                e::venue.eq(&b.venue),
                e::latitude.eq(pos.0),
                e::longitude.eq(pos.1),
                e::radius_m.eq(radius),
                e::starts_at.eq(db::ts(b.starts_at)),
                e::ends_at.eq(db::ts(b.ends_at)),
                e::created_by.eq(p.account_id),
                e::created_at.eq(now),
            ))
            .returning(e::id)
            .get_result(conn)?;
        let mut ids = b.invitee_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if crate::org::deputy_names(conn, &ids)?.len() != ids.len() {
            return Err(AppError::invalid_field("invitee_ids", "unknown_deputy", "every invitee must be a deputy"));
        }
        for d in ids {
            diesel::insert_into(ei::table).values((ei::event_id.eq(id), ei::deputy_id.eq(d))).execute(conn)?;
        }
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
            return if v.invitees.iter().any(|i| Some(i.deputy_id) == p.deputy_id) { Ok(v) } else { Err(AppError::not_found()) };
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveApproval {
    pub deputy_id: i64,
}

/// Approve an invitee's leave before the event starts (they will count as excused).
#[utoipa::path(tag = "events", params(("id" = i64, Path)), request_body = LeaveApproval, responses((status = 200, body = EventView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/events/{id}/leave")]
pub async fn approve_leave(state: web::Data<AppState>, p: Principal, id: web::Path<i64>, body: web::Json<LeaveApproval>) -> AppResult<web::Json<EventView>> {
    let (id, deputy) = (id.into_inner(), body.into_inner().deputy_id);
    let now = state.now();
    let v = db::tx(&state.db, move |conn| {
        let (v, path) = manage(conn, &p, id)?;
        if db::ts(v.starts_at) <= now {
            return Err(AppError::conflict("event_started", "leave is approved before the event starts"));
        }
        let n = diesel::update(ei::table.filter(ei::event_id.eq(id)).filter(ei::deputy_id.eq(deputy))).set(ei::leave_approved.eq(true)).execute(conn)?;
        if n == 0 {
            return Err(AppError::invalid_field("deputy_id", "not_invited", "this deputy is not invited"));
        }
        Entry::by(&p, "event.approve_leave", "event", id.to_string()).region(Some(path)).detail(format!("deputy={deputy}")).write(conn, now)?;
        Ok(load(conn, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(web::Json(v))
}

/// Close the event: each invitee's attendance becomes final and is reported to the ledger once.
#[utoipa::path(tag = "events", params(("id" = i64, Path)), responses((status = 200, body = EventView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/events/{id}/close")]
pub async fn close(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<EventView>> {
    let id = id.into_inner();
    let now = state.now();
    let v = db::tx(&state.db, move |conn| {
        let (v, path) = manage(conn, &p, id)?;
        if v.closed_at.is_some() {
            return Err(AppError::conflict("event_closed", "the event is already closed"));
        }
        if db::ts(v.starts_at) > now {
            return Err(AppError::conflict("event_not_started", "an event is closed once it has started"));
        }
        for inv in &v.invitees {
            let attended =
                c::table.filter(c::event_id.eq(id)).filter(c::deputy_id.eq(inv.deputy_id)).filter(c::status.eq("accepted")).count().get_result::<i64>(conn)?
                    > 0;
            let outcome = match (attended, inv.leave_approved) {
                (true, _) => "attended",
                (false, true) => "excused",
                (false, false) => "absent",
            };
            diesel::update(ei::table.filter(ei::event_id.eq(id)).filter(ei::deputy_id.eq(inv.deputy_id))).set(ei::attendance.eq(outcome)).execute(conn)?;
            checkin_store::point_event(conn, inv.deputy_id, &format!("{}_{outcome}", v.kind), "event", id, db::ts(v.ends_at).min(now), now)?;
        }
        diesel::update(e::table.find(id)).set(e::closed_at.eq(now)).execute(conn)?;
        Entry::by(&p, "event.close", "event", id.to_string()).region(Some(path)).write(conn, now)?;
        Ok(load(conn, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(web::Json(v))
}

/// Records approved leave of an invitee (from a meeting notice's RSVP) so the deputy counts as
/// excused when the event closes. Answers false when the deputy is not invited or the event has
/// started (attendance is then decided at the door).
pub fn excuse(conn: &mut AnyConnection, event: i64, deputy: i64, now: NaiveDateTime) -> AppResult<bool> {
    let started: Option<NaiveDateTime> = e::table.find(event).select(e::starts_at).first(conn).optional()?;
    if started.is_none_or(|s| s <= now) {
        return Ok(false);
    }
    Ok(diesel::update(ei::table.filter(ei::event_id.eq(event)).filter(ei::deputy_id.eq(deputy))).set(ei::leave_approved.eq(true)).execute(conn)? == 1)
}
