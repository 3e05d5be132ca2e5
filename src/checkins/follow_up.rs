//! What happens to a check-in after it is recorded: checking out, staff review, the audited read of
//! its sealed position, and closing the ones left open.

use super::model::{CheckinView, PositionView};
use super::rules::{self};
use super::service::{award, view};
use super::store::{self, CheckinRow};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Target};
use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::state::AppState;
use chrono::Duration;

/// Loads a check-in the caller may act on: the deputy's own, or one at a station in the caller's care.
fn load_for(
    c: &mut AnyConnection,
    p: &Principal,
    id: i64,
    staff_only: bool,
) -> AppResult<(CheckinRow, Option<String>)> {
    let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    let path = match row.station_id {
        Some(s) => crate::org::station_region(c, s)?.map(|x| x.1),
        None => match row.event_id {
            Some(e) => super::venues::venue(c, e)?.map(|v| v.region_path),
            None => None,
        },
    };
    if !staff_only && p.role == Role::Deputy && p.deputy_id == Some(row.deputy_id) {
        return Ok((row, path));
    }
    if p.role == Role::Deputy {
        return Err(AppError::not_found());
    }
    let target = match row.station_id {
        Some(s) => Target::station(s, path.clone().unwrap_or_default()),
        None => Target::new(policy::Kind::Station, path.clone().unwrap_or_default()),
    };
    policy::authorize(p, Action::Write, &target)?;
    Ok((row, path))
}

pub async fn check_out(state: &AppState, p: Principal, id: i64) -> AppResult<CheckinView> {
    let now = state.now();
    db::tx(&state.db, move |c| {
        let (row, path) = load_for(c, &p, id, false)?;
        if row.checked_out_at.is_some() {
            return Err(AppError::conflict(Code::AlreadyCheckedOut, "this check-in is already closed"));
        }
        store::check_out(c, id, now.max(row.checked_in_at), false)?;
        Entry::by(&p, "checkin.checkout", "checkin", id.to_string()).region(path).write(c, now)?;
        Ok(view(store::get(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await
}

pub async fn review(
    state: &AppState,
    p: Principal,
    id: i64,
    approve: bool,
    reason: Option<String>,
) -> AppResult<CheckinView> {
    let now = state.now();
    db::tx(&state.db, move |c| {
        let (row, path) = load_for(c, &p, id, true)?;
        if row.status != "pending_review" {
            return Err(AppError::conflict(
                Code::NotPendingReview,
                format!("the check-in is {}, not pending review", row.status),
            ));
        }
        let status = if approve { "accepted" } else { "rejected" };
        if !store::review(c, id, status, p.account_id, reason.as_deref(), now)? {
            return Err(AppError::conflict(Code::NotPendingReview, "the check-in was reviewed meanwhile"));
        }
        if approve {
            award(c, row.deputy_id, row.event_id.is_some(), id, row.checked_in_at, now)?;
            let d = crate::feed::data::CheckinAccepted {
                checkin_id: id,
                deputy_id: row.deputy_id,
                station_id: row.station_id,
                event_id: row.event_id,
                offline: row.offline,
                staff_confirmed: row.staff_confirmed,
                checked_in_at: crate::db::utc(row.checked_in_at),
            };
            crate::feed::emit(c, &[crate::feed::Event::checkin(&d, path.as_deref().unwrap_or("/"), now)])?;
        }
        Entry::by(&p, "checkin.review", "checkin", id.to_string()).region(path).detail(status).write(c, now)?;
        Ok(view(store::get(c, id)?.ok_or_else(AppError::not_found)?))
    })
    .await
}

/// The position of a check-in (its deputy, the staff of its station, admins in scope); every
/// read is audited. 404 when none was recorded (staff-confirmed check-ins, events without one).
pub async fn read_position(state: &AppState, p: Principal, id: i64) -> AppResult<PositionView> {
    let (now, pii) = (state.now(), state.pii.clone());
    db::tx(&state.db, move |c| {
        let (row, path) = load_for(c, &p, id, false)?;
        let (latitude, longitude) =
            rules::open_position(&pii, row.position_enc.as_deref())?.ok_or_else(AppError::not_found)?;
        Entry::by(&p, "checkin.position_read", "checkin", id.to_string()).region(path).write(c, now)?;
        Ok(PositionView { checkin_id: id, latitude, longitude, accuracy_m: row.accuracy_m })
    })
    .await
}

/// Closes check-ins left open for 8 hours (closing time = check-in + 8 h, flagged). Returns how many.
pub async fn close_stale(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    db::tx(&state.db, move |c| {
        let stale = store::stale_open(c, now - Duration::hours(rules::AUTO_CLOSE_HOURS), 500)?;
        for r in &stale {
            store::check_out(c, r.id, r.checked_in_at + Duration::hours(rules::AUTO_CLOSE_HOURS), true)?;
        }
        Ok(stale.len())
    })
    .await
}
