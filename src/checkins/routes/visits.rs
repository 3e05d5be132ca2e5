//! Routes for check-ins themselves: recording one (safe to retry), checking out, staff review, one
//! check-in and its sealed position, mine, and the station's list.

use crate::auth::policy::{self, Kind, Target};
use crate::auth::{Principal, Role};
use crate::checkins::model::{CheckinQuery, CheckinRequest, CheckinView, PositionView, ReviewRequest};
use crate::checkins::{service, store};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::platform::idempotency::IdemKey;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

/// Check in at a station or event (deputies for themselves; station staff for a deputy who is present).
/// Send an `Idempotency-Key`: a retry with the same key and body returns the first answer.
#[utoipa::path(
    tag = "checkins",
    params(("Idempotency-Key" = Option<String>, Header, description = "retry-safe key, 1–128 characters")),
    request_body = CheckinRequest,
    responses(
        (status = 201, body = CheckinView, description = "recorded: `accepted`, or `pending_review` with the reasons"),
        (status = 200, body = CheckinView, description = "the open check-in at the same place (a repeat within 10 minutes)"),
        WriteErrors
    ),
    security(("bearer" = []))
)]
#[post("/api/v1/checkins")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    body: web::Json<CheckinRequest>,
) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    let key = IdemKey::from_request(&req, p.account_id, &body)?;
    Ok(service::check_in(&state, p, body, key).await?.into_response())
}

/// Check out (the deputy, or staff of the station); records the duration.
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 200, body = CheckinView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/checkins/{id}/checkout")]
pub async fn checkout(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<CheckinView>> {
    Ok(web::Json(crate::checkins::follow_up::check_out(&state, p, id.into_inner()).await?))
}

/// Approve or reject a check-in pending review (staff of its station, or admins in scope).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), request_body = ReviewRequest, responses((status = 200, body = CheckinView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/checkins/{id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ReviewRequest>,
) -> AppResult<web::Json<CheckinView>> {
    let b = body.into_inner();
    let approve = match b.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::invalid_field("decision", "invalid_value", "approve or reject")),
    };
    let reason = b.reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(AppError::invalid_field("reason", "required", "say why the check-in is rejected"));
    }
    Ok(web::Json(crate::checkins::follow_up::review(&state, p, id.into_inner(), approve, reason).await?))
}

/// One check-in (the deputy's own, or at a station in your care).
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 200, body = CheckinView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/checkins/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<CheckinView>> {
    let id = id.into_inner();
    let v = db::run(&state.db, move |c| {
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        if !(p.role == Role::Deputy && p.deputy_id == Some(row.deputy_id)) {
            // Another deputy's check-in is as if it did not exist.
            if p.role == Role::Deputy {
                return Err(AppError::not_found());
            }
            let t = match row.station_id {
                Some(s) => Target::station(s, crate::org::station_region(c, s)?.map(|x| x.1).unwrap_or_default()),
                None => Target::new(Kind::Station, String::new()),
            };
            policy::station_duty(&p, &t)?;
        }
        Ok(service::view(row))
    })
    .await?;
    Ok(web::Json(v))
}

/// Where the deputy was when checking in, in WGS-84 (the deputy, staff of the station, admins in
/// scope). Positions are sealed at rest and lists never show them; every read is audited.
#[utoipa::path(tag = "checkins", params(("id" = i64, Path)), responses((status = 200, body = PositionView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/checkins/{id}/position")]
pub async fn position(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<PositionView>> {
    Ok(web::Json(crate::checkins::follow_up::read_position(&state, p, id.into_inner()).await?))
}

/// My check-ins, newest last (deputies).
#[utoipa::path(tag = "checkins", params(PageQuery), responses((status = 200, body = Page<CheckinView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/checkins")]
pub async fn mine(
    state: web::Data<AppState>,
    p: Principal,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<CheckinView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    let f = store::ListFilter { deputy_id: Some(me), station_ids: None, status: None, from: None, to: None };
    let rows = db::run(&state.db, move |c| store::list(c, &f, after, limit + 1)).await?;
    Ok(web::Json(page(rows, limit, |r| r.id, service::view)))
}

/// Check-ins at a station (optionally one day, in the congress time zone, and a status): staff in scope.
#[utoipa::path(tag = "checkins", params(CheckinQuery, PageQuery), responses((status = 200, body = Page<CheckinView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/checkins")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<CheckinQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<CheckinView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let q = q.into_inner();
    let station = q.station_id.ok_or_else(|| AppError::invalid_field("station_id", "required", "name the station"))?;
    let (from, to) = match q.date.as_deref() {
        Some(d) => {
            let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| AppError::invalid_field("date", "invalid_date", "YYYY-MM-DD"))?;
            let (a, b) = crate::checkins::on_duty::day_bounds(day, state.settings.tz);
            (Some(a), Some(b))
        }
        None => (None, None),
    };
    let rows = db::run(&state.db, move |c| {
        let (_, path) = crate::org::station_region(c, station)?.ok_or_else(AppError::not_found)?;
        if p.role == Role::Deputy {
            return Err(AppError::forbidden(Code::Forbidden, "deputies see their own check-ins at /me/checkins"));
        }
        policy::station_duty(&p, &Target::station(station, path))?;
        let f = store::ListFilter { deputy_id: None, station_ids: Some(vec![station]), status: q.status, from, to };
        store::list(c, &f, after, limit + 1)
    })
    .await?;
    Ok(web::Json(page(rows, limit, |r| r.id, service::view)))
}
