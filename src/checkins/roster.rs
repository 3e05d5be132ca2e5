//! The duty roster (接待日): reception slots at a station with the deputies on duty, sign-up,
//! the public "who is on duty" list, and no-show settlement when a slot ends.

use super::stats::day_bounds;
use super::store::roster as store;
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Target};
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, Problem, WriteErrors};
use crate::ledger::PointEvent;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
pub struct OnDuty {
    pub deputy_id: i64,
    pub name: String,
    /// present or no_show once the slot has ended and been settled.
    pub outcome: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SlotView {
    pub id: i64,
    pub station_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub note: Option<String>,
    pub deputies: Vec<OnDuty>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DutyBoard {
    pub station_id: i64,
    pub today: Vec<SlotView>,
    /// The next 7 days, today included.
    pub week: Vec<SlotView>,
}

fn slots_between(
    conn: &mut AnyConnection,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<SlotView>> {
    let rows = store::slots_between(conn, station, from, to)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let assigned = store::assignments(conn, &ids)?;
    let people: Vec<i64> = assigned.iter().map(|a| a.1).collect();
    let names: std::collections::HashMap<i64, String> = crate::org::deputy_names(conn, &people)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| SlotView {
            id: r.0,
            station_id: r.1,
            starts_at: utc(r.2),
            ends_at: utc(r.3),
            note: r.4,
            deputies: assigned
                .iter()
                .filter(|a| a.0 == r.0)
                .map(|a| OnDuty {
                    deputy_id: a.1,
                    name: names.get(&a.1).cloned().unwrap_or_default(),
                    outcome: a.2.clone(),
                })
                .collect(),
        })
        .collect())
}

/// Names of the deputies on duty at a station on a day (for the kiosk page).
pub fn on_duty_names(
    conn: &mut AnyConnection,
    station: i64,
    day: NaiveDate,
    tz: chrono_tz::Tz,
) -> AppResult<Vec<String>> {
    let (from, to) = day_bounds(day, tz);
    let mut names: Vec<String> = slots_between(conn, station, from, to)?
        .into_iter()
        .flat_map(|s| s.deputies.into_iter().map(|d| d.name))
        .collect();
    names.dedup();
    Ok(names)
}

/// The deputy on duty at each station at `now`, or else the next one on duty there within a
/// week (the one who receives an opinion left at the station): station → deputy, one query.
pub fn on_duty_many(
    conn: &mut AnyConnection,
    stations: &[i64],
    now: NaiveDateTime,
) -> AppResult<std::collections::HashMap<i64, i64>> {
    let rows = store::on_duty_from(conn, stations, now)?;
    let mut out = std::collections::HashMap::new();
    for (s, d) in rows {
        out.entry(s).or_insert(d);
    }
    Ok(out)
}

/// A duty slot's (station, starts, ends).
pub type SlotTimes = (i64, NaiveDateTime, NaiveDateTime);

/// A duty slot and the deputies on duty in it.
pub fn slot(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(SlotTimes, Vec<i64>)>> {
    let Some(row) = store::slot_times(conn, id)? else { return Ok(None) };
    let people = store::slot_deputies(conn, id)?;
    Ok(Some((row, people)))
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

/// Who is on duty at a station today and this week (public, no login: the cloud reception room uses it).
#[utoipa::path(tag = "public", params(("id" = i64, Path)), responses((status = 200, body = DutyBoard), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/api/v1/public/stations/{id}/duty")]
pub async fn duty_board(state: web::Data<AppState>, id: web::Path<i64>) -> AppResult<web::Json<DutyBoard>> {
    let station = id.into_inner();
    let tz = state.settings.tz;
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let board = db::run(&state.db, move |conn| {
        crate::org::station_region(conn, station)?.ok_or_else(AppError::not_found)?;
        let (from, to) = day_bounds(today, tz);
        Ok(DutyBoard {
            station_id: station,
            today: slots_between(conn, station, from, to)?,
            week: week(conn, station, today, tz)?,
        })
    })
    .await?;
    Ok(web::Json(board))
}

/// A station's duty slots of the 7 days from `today` (congress calendar).
pub fn week(
    conn: &mut AnyConnection,
    station: i64,
    today: chrono::NaiveDate,
    tz: chrono_tz::Tz,
) -> AppResult<Vec<SlotView>> {
    let (from, _) = day_bounds(today, tz);
    let (_, week_end) = day_bounds(today + chrono::Duration::days(6), tz);
    slots_between(conn, station, from, week_end)
}

/// Settles ended slots: each deputy on duty is `present` (a check-in at the station during the slot)
/// or `no_show` (recorded, and reported to the ledger). Returns the number of slots settled.
pub async fn settle(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    db::tx(&state.db, move |conn| {
        let ended = store::ended_unsettled(conn, now)?;
        for (slot, station, starts, ends) in &ended {
            let people = store::slot_deputies(conn, *slot)?;
            for d in people {
                let seen =
                    store::checked_in_between(conn, d, *station, *starts - chrono::Duration::minutes(30), *ends)?;
                let outcome = if seen { "present" } else { "no_show" };
                store::set_outcome(conn, *slot, d, outcome)?;
                if !seen {
                    crate::ledger::note(
                        conn,
                        PointEvent { deputy: d, kind: "duty_no_show", source: ("duty_slot", *slot), at: *ends },
                        now,
                    )?;
                }
            }
            store::mark_settled(conn, *slot, now)?;
        }
        Ok(ended.len())
    })
    .await
}

/// Deputies who receive constituents at a station: everyone ever on its roster.
pub fn station_deputies(conn: &mut AnyConnection, station: i64) -> AppResult<Vec<i64>> {
    let mut ids = store::ever_on_duty(conn, station)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
