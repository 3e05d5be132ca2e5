//! Changing a published duty slot (station staff, admins in scope): its times, note and deputies
//! under `If-Match`, and cancelling it with a reason. Bookings follow the change (moved to the
//! replacement deputy, re-timed, or cancelled by the station, each person texted) and the
//! deputies added or removed get a notice.

use super::roster_notes::{kept_slot, notify, texting, when};
use crate::audit::Entry;
use crate::auth::Principal;
use crate::checkins::model::SlotView;
use crate::checkins::on_duty::slots_between;
use crate::checkins::rules::roster_diff;
use crate::checkins::store::{roster as store, roster_edits as edits};
use crate::db;
use crate::error::{AppError, AppResult, Code, UpdateErrors, WriteErrors};
use crate::http::{check_if_match, etag, if_match, with_etag};
use crate::reception::RosterChange;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotUpdate {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// Every deputy on duty after the change (absent: unchanged).
    pub deputy_ids: Option<Vec<i64>>,
    pub note: Option<String>,
    /// A deputy on the slot after the change who takes over the bookings of those removed.
    pub reassign_to: Option<i64>,
    /// Cancel the bookings of the deputies removed instead (needed, without `reassign_to`, when
    /// one of them holds a confirmed booking: else 409 `bookings_held`).
    #[serde(default)]
    pub cancel_bookings: bool,
    /// Why, texted to those whose booking is cancelled (at most 60 characters).
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotCancel {
    /// Why (at most 60 characters): texted to everyone who booked, told to the deputies.
    pub reason: String,
}

/// The slot as its keepers see it, with its ETag.
fn answer(conn: &mut db::AnyConnection, station: i64, id: i64) -> AppResult<(SlotView, String)> {
    let (row, _) = edits::slot(conn, id)?.ok_or_else(AppError::not_found)?;
    let view = slots_between(conn, station, row.2, row.3)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| AppError::conflict(Code::SlotCancelled, "this slot is cancelled"))?;
    let tag = etag("slot", id, view.version);
    Ok((view, tag))
}

/// One duty slot with its deputies and ETag (station staff, admins in scope).
#[utoipa::path(tag = "roster", params(("id" = i64, Path)), responses((status = 200, body = SlotView), WriteErrors), security(("bearer" = [])))]
#[get("/api/v1/slots/{id}")]
pub async fn get_one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (view, tag) = db::run(&state.db, move |conn| {
        let (row, ..) = kept_slot(conn, &p, id)?;
        answer(conn, row.1, id)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, tag, &view))
}

fn reason(r: Option<&str>, default: &str) -> AppResult<String> {
    let r = r.map(str::trim).filter(|r| !r.is_empty()).unwrap_or(default);
    if r.chars().count() > 60 {
        return Err(AppError::invalid_field("reason", "too_long", "at most 60 characters"));
    }
    Ok(r.to_string())
}

/// Change a slot that has not started: times, note, deputies (If-Match required). Bookings of
/// a deputy removed go to `reassign_to` or are cancelled; a new start moves every booking.
#[utoipa::path(tag = "roster", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = SlotUpdate, responses((status = 200, body = SlotView), UpdateErrors), security(("bearer" = [])))]
#[patch("/api/v1/slots/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<SlotUpdate>,
) -> AppResult<HttpResponse> {
    let (id, b, given) = (id.into_inner(), body.into_inner(), if_match(&req));
    let why = reason(b.reason.as_deref(), "接待安排调整")?;
    let (now, st) = (state.now(), state.clone());
    let (view, tag, wakes) = db::tx(&state.db, move |conn| {
        let (row, station, path) = kept_slot(conn, &p, id)?;
        check_if_match(given.as_deref(), &etag("slot", id, row.5))?;
        if row.2 <= now {
            return Err(AppError::conflict(Code::SlotStarted, "this slot has started; it can no longer change"));
        }
        let (starts, ends) = (b.starts_at.map_or(row.2, |t| t.naive_utc()), b.ends_at.map_or(row.3, |t| t.naive_utc()));
        if ends <= starts || ends - starts > chrono::Duration::hours(12) || starts <= now {
            return Err(AppError::invalid_field("ends_at", "invalid_range", "a slot ahead, ending within 12 hours"));
        }
        let before = store::slot_deputies(conn, id)?;
        let mut after = b.deputy_ids.clone().unwrap_or_else(|| before.clone());
        after.dedup();
        let (added, removed) = roster_diff(&before, &after);
        if !crate::org::deputies_not_held(conn, &p, &added)?.is_empty() {
            return Err(AppError::invalid_field(
                "deputy_ids",
                "unknown_deputy",
                "every deputy on duty must be one you hold",
            ));
        }
        if b.reassign_to.is_some_and(|r| !after.contains(&r)) {
            return Err(AppError::invalid_field("reassign_to", "not_on_slot", "a deputy on the slot after the change"));
        }
        let texts = texting(&st);
        let mut wakes = vec![];
        for d in &removed {
            let change = match b.reassign_to {
                Some(to) => {
                    let name = crate::org::deputy_names(conn, &[to])?.pop().map(|x| x.1).unwrap_or_default();
                    crate::reception::rebook_for_roster(
                        conn,
                        &texts,
                        id,
                        &RosterChange::Reassign { from: *d, to, to_name: &name },
                        now,
                    )?
                }
                None if !b.cancel_bookings && crate::reception::holds_confirmed_booking(conn, id, *d)? => {
                    return Err(AppError::conflict(
                        Code::BookingsHeld,
                        "a deputy removed holds a confirmed booking: name reassign_to or cancel_bookings",
                    ))
                }
                None => crate::reception::rebook_for_roster(
                    conn,
                    &texts,
                    id,
                    &RosterChange::Cancel { deputy: Some(*d), reason: &why },
                    now,
                )?,
            };
            wakes.extend(change.0);
            edits::unassign(conn, id, *d)?;
        }
        for d in &added {
            store::assign(conn, id, *d)?;
        }
        let note = b.note.as_deref().map(str::trim).or(row.4.as_deref());
        if !edits::update(conn, id, row.5, (starts, ends), note)? {
            return Err(AppError::precondition_failed());
        }
        if starts != row.2 {
            wakes.extend(
                crate::reception::rebook_for_roster(conn, &texts, id, &RosterChange::Retime { starts }, now)?.0,
            );
        }
        let at = when(&st, starts);
        for d in &added {
            wakes.push(notify(conn, &st, *d, "接待安排", &format!("您被安排于{at}在{}接待选民。", station.name))?);
        }
        for d in &removed {
            wakes.push(notify(
                conn,
                &st,
                *d,
                "接待安排调整",
                &format!("您不再担任{at}在{}的接待（{why}）。", station.name),
            )?);
        }
        if starts != row.2 {
            for d in after.iter().filter(|d| !added.contains(d)) {
                wakes.push(notify(conn, &st, *d, "接待时间调整", &format!("您在{}的接待改为{at}。", station.name))?);
            }
        }
        Entry::by(&p, "roster.update_slot", "duty_slot", id.to_string()).region(Some(path)).write(conn, now)?;
        let (view, tag) = answer(conn, station.id, id)?;
        Ok((view, tag, wakes))
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(with_etag(StatusCode::OK, tag, &view))
}

/// Cancel a slot that has not started, with a reason: every booking in it is cancelled by the
/// station and texted, its deputies get a notice, and it leaves the duty boards.
#[utoipa::path(tag = "roster", params(("id" = i64, Path)), request_body = SlotCancel, responses((status = 204, description = "cancelled"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/slots/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<SlotCancel>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let why = reason(Some(&body.reason), "")?;
    if why.is_empty() {
        return Err(AppError::invalid_field("reason", "required", "say why the slot is cancelled"));
    }
    let (now, st) = (state.now(), state.clone());
    let wakes = db::tx(&state.db, move |conn| {
        let (row, station, path) = kept_slot(conn, &p, id)?;
        if row.2 <= now {
            return Err(AppError::conflict(Code::SlotStarted, "this slot has started; it can no longer be cancelled"));
        }
        let texts = texting(&st);
        let change = RosterChange::Cancel { deputy: None, reason: &why };
        let (mut wakes, _) = crate::reception::rebook_for_roster(conn, &texts, id, &change, now)?;
        if !edits::cancel(conn, id, &why, now)? {
            return Err(AppError::conflict(Code::SlotCancelled, "this slot is cancelled already"));
        }
        let at = when(&st, row.2);
        for d in store::slot_deputies(conn, id)? {
            wakes.push(notify(conn, &st, d, "接待取消", &format!("{at}在{}的接待已取消（{why}）。", station.name))?);
        }
        Entry::by(&p, "roster.cancel_slot", "duty_slot", id.to_string()).region(Some(path)).write(conn, now)?;
        Ok(wakes)
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(HttpResponse::NoContent().finish())
}
