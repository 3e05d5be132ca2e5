//! Attendance at events: leave approved before the start, and the close that makes each
//! invitee's attendance final (attended, excused, absent) and reports it to the ledger once. A
//! recorded past event is closed only by congress staff who hold every invitee, and the absences
//! it causes go to maker-checker instead of the ledger.

use crate::audit::Entry;
use crate::auth::{Principal, Role};
use crate::checkins::routes::meetings::{load, manage, retroactive, EventView};
use crate::checkins::store::attendance as store;
use crate::db::{self};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::ledger::PointEvent;
use crate::state::AppState;
use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveApproval {
    pub deputy_id: i64,
}

/// Approve an invitee's leave before the event starts (they will count as excused).
#[utoipa::path(tag = "events", params(("id" = i64, Path)), request_body = LeaveApproval, responses((status = 200, body = EventView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/events/{id}/leave")]
pub async fn approve_leave(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<LeaveApproval>,
) -> AppResult<web::Json<EventView>> {
    let (id, deputy) = (id.into_inner(), body.into_inner().deputy_id);
    let now = state.now();
    let v = db::tx(&state.db, move |conn| {
        let (v, path) = manage(conn, &p, id)?;
        if db::ts(v.starts_at) <= now {
            return Err(AppError::conflict(Code::EventStarted, "leave is approved before the event starts"));
        }
        if !store::approve_leave(conn, id, deputy)? {
            return Err(AppError::invalid_field("deputy_id", "not_invited", "this deputy is not invited"));
        }
        Entry::by(&p, "event.approve_leave", "event", id.to_string())
            .region(Some(path))
            .detail(format!("deputy={deputy}"))
            .write(conn, now)?;
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
    let (tz, now) = (state.settings.tz, state.now());
    let v = db::tx(&state.db, move |conn| {
        let (v, path) = manage(conn, &p, id)?;
        let (created, _) = store::created_and_starts(conn, id)?.ok_or_else(AppError::not_found)?;
        let record = retroactive(db::ts(v.starts_at), created);
        if record {
            // Closing a record of the past sets attendance: only staff who hold every invitee.
            let ids: Vec<i64> = v.invitees.iter().map(|i| i.deputy_id).collect();
            if p.role != Role::Admin || !crate::org::deputies_not_held(conn, &p, &ids)?.is_empty() {
                return Err(AppError::not_found());
            }
        }
        if v.closed_at.is_some() {
            return Err(AppError::conflict(Code::EventClosed, "the event is already closed"));
        }
        if db::ts(v.starts_at) > now {
            return Err(AppError::conflict(Code::EventNotStarted, "an event is closed once it has started"));
        }
        for inv in &v.invitees {
            let attended = store::attended(conn, id, inv.deputy_id)?;
            let outcome = match (attended, inv.leave_approved) {
                (true, _) => "attended",
                (false, true) => "excused",
                (false, false) => "absent",
            };
            store::set_attendance(conn, id, inv.deputy_id, outcome)?;
            let (kind, at) = (format!("{}_{outcome}", v.kind), db::ts(v.ends_at).min(now));
            if record && outcome == "absent" {
                // An absence from a recorded past event is proposed, and another staff member decides.
                let reason = format!("{}（补录活动 #{id}）缺席", v.title);
                let o = crate::ledger::EventOutcome {
                    deputy: inv.deputy_id,
                    outcome: &kind,
                    reason: &reason,
                    occurred_at: at,
                    proposer: p.account_id,
                };
                crate::ledger::propose_outcome(conn, &o, tz, now)?;
            } else {
                crate::ledger::note(
                    conn,
                    PointEvent { deputy: inv.deputy_id, kind: &kind, source: ("event", id), at },
                    now,
                )?;
            }
        }
        store::close(conn, id, now)?;
        Entry::by(&p, "event.close", "event", id.to_string()).region(Some(path)).write(conn, now)?;
        Ok(load(conn, id)?.ok_or_else(AppError::not_found)?.0)
    })
    .await?;
    Ok(web::Json(v))
}
