//! Routes for a deputy's seats: adding one (another level or term) and changing one.

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, UpdateErrors, WriteErrors};
use crate::http::{check_if_match, etag, if_match};
use crate::org::deputies::{bump, insert_seat, load, respond, DeputyView, SeatInput, SeatUpdate};
use crate::org::rules;
use crate::org::store::deputies::{self as store, SeatChanges};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{patch, post, web, HttpRequest, HttpResponse};

/// Add a seat (another level or term) to a deputy already in your scope.
#[utoipa::path(tag = "deputies", params(("id" = i64, Path)), request_body = SeatInput, responses((status = 201, body = DeputyView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/deputies/{id}/seats")]
pub async fn add_seat(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<SeatInput>,
) -> AppResult<HttpResponse> {
    let (id, s) = (id.into_inner(), body.into_inner());
    policy::role_allows(&p, Action::Write, Kind::Deputy)?;
    let now = state.now();
    let (v, version) = db::tx(&state.db, move |c| {
        // The deputy must already be in the caller's scope: a seat in one's own region does not
        // pull another district's deputy in (404, exactly like a missing deputy).
        let (_, _, before) = load(c, &p, id, Action::Write)?;
        let path = insert_seat(c, &p, id, &s, 0, now)?;
        bump(c, id, before, now)?;
        Entry::by(&p, "deputy.add_seat", "deputy", id.to_string()).region(Some(path)).write(c, now)?;
        let (v, _, version) = load(c, &p, id, Action::Read)?;
        Ok((v, version))
    })
    .await?;
    Ok(respond(StatusCode::CREATED, &v, version))
}

/// Change a seat's status, group or electoral unit (If-Match with the deputy's ETag).
#[utoipa::path(tag = "deputies", params(("id" = i64, Path), ("seat_id" = i64, Path), ("If-Match" = String, Header)), request_body = SeatUpdate, responses((status = 200, body = DeputyView), UpdateErrors), security(("bearer" = [])))]
#[patch("/api/v1/deputies/{id}/seats/{seat_id}")]
pub async fn update_seat(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Json<SeatUpdate>,
) -> AppResult<HttpResponse> {
    let ((id, seat_id), b, given) = (path.into_inner(), body.into_inner(), if_match(&req));
    let status = match b.status.as_deref() {
        Some(s) => Some(
            rules::parse_status(s)
                .ok_or_else(|| AppError::invalid_field("status", "invalid_value", "active, terminated or resigned"))?,
        ),
        None => None,
    };
    if let Some(d) = b.status_date.as_deref().filter(|d| !rules::valid_date(d)) {
        return Err(AppError::invalid_field("status_date", "invalid_date", format!("`{d}` is not YYYY-MM-DD")));
    }
    let now = state.now();
    let (v, version) = db::tx(&state.db, move |c| {
        let d = store::deputy(c, id)?.ok_or_else(AppError::not_found)?;
        let seat = store::seats_of(c, &[id])?.into_iter().find(|s| s.id == seat_id).ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Deputy, seat.region_path.clone()))?;
        check_if_match(given.as_deref(), &etag("deputy", id, d.version))?;
        if let Some(g) = b.group_id {
            let ok = crate::org::store::group(c, g)?
                .is_some_and(|(gv, _)| gv.region_id == seat.region_id && gv.term == seat.term);
            if !ok {
                return Err(AppError::invalid_field(
                    "group_id",
                    "unknown_group",
                    "no such group in this congress and term",
                ));
            }
        }
        let status_date = b.status_date.clone().or_else(|| status.map(|_| now.date().to_string()));
        store::update_seat(
            c,
            seat_id,
            &SeatChanges {
                status,
                status_date: status_date.as_deref(),
                group_id: b.group_id,
                electoral_unit: b.electoral_unit.as_deref(),
            },
        )?;
        bump(c, id, d.version, now)?;
        crate::ledger::board_seats_changed(c, &[id])?;
        Entry::by(&p, "deputy.update_seat", "seat", seat_id.to_string())
            .region(Some(seat.region_path))
            .detail(format!("status={}", status.unwrap_or("-")))
            .write(c, now)?;
        let (v, _, version) = load(c, &p, id, Action::Read)?;
        Ok((v, version))
    })
    .await?;
    Ok(respond(StatusCode::OK, &v, version))
}
