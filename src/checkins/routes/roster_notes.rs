//! A deputy withdrawing from a slot, and publishing a month's roster to the deputies on it; with
//! the helpers every roster change shares (the slot in the caller's reach, notices to deputies,
//! the texts to those who booked).

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Target};
use crate::auth::{Principal, Role};
use crate::checkins::on_duty::{day_bounds, slots_between};
use crate::checkins::rules::{may_withdraw, month_days};
use crate::checkins::store::{roster as store, roster::SlotRow, roster_edits as edits};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::live::Wake;
use crate::org::StationGeo;
use crate::reception::{BookingTexts, RosterChange};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A slot that is not cancelled, its station and region, for the roster's keepers (404 out of
/// reach, 409 `slot_cancelled`).
pub(super) fn kept_slot(conn: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(SlotRow, StationGeo, String)> {
    let (row, cancelled) = edits::slot(conn, id)?.ok_or_else(AppError::not_found)?;
    let station = crate::org::station_geo(conn, row.1)?.ok_or_else(AppError::not_found)?;
    let path = station.region_path.clone();
    policy::authorize(p, Action::Write, &Target::station(row.1, path.clone()))?;
    if cancelled.is_some() {
        return Err(AppError::conflict(Code::SlotCancelled, "this slot is cancelled"));
    }
    Ok((row, station, path))
}

/// How the texts to those who booked go out.
pub(super) fn texting(st: &AppState) -> BookingTexts<'_> {
    BookingTexts {
        pii: &st.pii,
        quiet: st.settings.quiet_hours,
        tz: st.settings.tz,
        base: st.settings.public_base_url.as_deref(),
    }
}

/// A moment as deputies read it: `12月08日 09:00`.
pub(super) fn when(st: &AppState, at: NaiveDateTime) -> String {
    utc(at).with_timezone(&st.settings.tz).format("%m月%d日 %H:%M").to_string()
}

/// A notice of the deputy's own (inbox and push).
pub(super) fn notify(conn: &mut AnyConnection, st: &AppState, deputy: i64, title: &str, body: &str) -> AppResult<Wake> {
    let s = &st.settings;
    Ok(crate::notices::send_personal(conn, deputy, title, body, st.now(), s.tz, s.quiet_hours)?.1)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterPublish {
    /// The month, `YYYY-MM`.
    pub month: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RosterPublished {
    pub slots: usize,
    /// Each deputy on the month's roster got one notice listing their slots.
    pub deputies_notified: usize,
}

/// Withdraw from a slot (the deputy, up to 24 hours before it: later 409 `too_late`, and the
/// station's staff can still take them off). Their bookings are cancelled by the station and
/// every person who booked is texted.
#[utoipa::path(tag = "roster", params(("id" = i64, Path)), responses((status = 204, description = "withdrawn"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/slots/{id}/withdraw")]
pub async fn withdraw(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let me = match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) => d,
        _ => return Err(AppError::forbidden(Code::Forbidden, "deputies withdraw themselves; staff edit the slot")),
    };
    let (now, st) = (state.now(), state.clone());
    let wakes = db::tx(&state.db, move |conn| {
        let (row, cancelled) = edits::slot(conn, id)?.ok_or_else(AppError::not_found)?;
        if cancelled.is_some() || !store::slot_deputies(conn, id)?.contains(&me) {
            return Err(AppError::not_found());
        }
        if !may_withdraw(row.2, now) {
            return Err(AppError::conflict(
                Code::TooLate,
                "less than 24 hours before the slot: ask the station's staff to change the roster",
            ));
        }
        let change = RosterChange::Cancel { deputy: Some(me), reason: "代表因故无法到场" };
        let (wakes, _) = crate::reception::rebook_for_roster(conn, &texting(&st), id, &change, now)?;
        edits::unassign(conn, id, me)?;
        if !edits::bump(conn, id, row.5)? {
            return Err(AppError::conflict(Code::IllegalTransition, "the slot changed meanwhile; try again"));
        }
        Entry::by(&p, "roster.withdraw", "duty_slot", id.to_string()).write(conn, now)?;
        Ok(wakes)
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Publish a station's roster of a month: each deputy on it gets one notice listing their slots
/// (station staff, admins in scope). The public duty boards already show every slot.
#[utoipa::path(tag = "roster", params(("id" = i64, Path)), request_body = RosterPublish, responses((status = 200, body = RosterPublished), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/stations/{id}/roster/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<RosterPublish>,
) -> AppResult<web::Json<RosterPublished>> {
    let station = id.into_inner();
    let (first, last) =
        month_days(body.month.trim()).ok_or_else(|| AppError::invalid_field("month", "invalid_month", "YYYY-MM"))?;
    let (now, st, month) = (state.now(), state.clone(), body.month.trim().to_string());
    let (out, wakes) = db::tx(&state.db, move |conn| {
        let s = crate::org::station_geo(conn, station)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::station(station, s.region_path.clone()))?;
        let tz = st.settings.tz;
        let (from, to) = (day_bounds(first, tz).0, day_bounds(last, tz).1);
        let slots = slots_between(conn, station, from.max(now), to)?;
        let mut each: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for slot in &slots {
            for d in &slot.deputies {
                each.entry(d.deputy_id).or_default().push(when(&st, slot.starts_at.naive_utc()));
            }
        }
        let mut wakes = vec![];
        for (d, times) in &each {
            let body = format!("{}{month}的接待安排：{}。如有变动请在接待前24小时调整。", s.name, times.join("、"));
            wakes.push(notify(conn, &st, *d, "接待排班", &body)?);
        }
        Entry::by(&p, "roster.publish", "station", station.to_string()).region(Some(s.region_path)).write(conn, now)?;
        Ok((RosterPublished { slots: slots.len(), deputies_notified: each.len() }, wakes))
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(web::Json(out))
}
