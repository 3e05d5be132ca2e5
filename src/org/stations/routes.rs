//! Routes for liaison stations (代表联络站/代表之家).

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, UpdateErrors, WriteErrors};
use crate::http::{check_if_match, etag, if_match, page, with_etag, Page, PageQuery};
use crate::org::model::{ScopedQuery, StationCreate, StationUpdate, StationView};
use crate::org::store::stations::{self as store, NewStation};
use crate::org::{narrowed_filter, rules};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

fn station_etag(s: &StationView) -> String {
    etag("station", s.id, s.version)
}

fn check_station_fields(
    kind: Option<&str>,
    name: Option<&str>,
    address: Option<&str>,
    pos: (Option<f64>, Option<f64>),
    radius: Option<i32>,
) -> Vec<FieldError> {
    let mut e = vec![];
    if let Some(k) = kind.filter(|k| !rules::STATION_KINDS.contains(k)) {
        e.push(FieldError::new("kind", "invalid_value", format!("`{k}`: home, station, point or studio")));
    }
    e.extend(name.and_then(|n| rules::required_text("name", n, 100)));
    e.extend(address.and_then(|a| rules::required_text("address", a, 200)));
    if let (Some(lat), Some(lng)) = pos {
        e.extend(rules::check_position(lat, lng));
    } else if let Some(lat) = pos.0 {
        e.extend(rules::check_position(lat, 0.0));
    } else if let Some(lng) = pos.1 {
        e.extend(rules::check_position(0.0, lng));
    }
    e.extend(radius.and_then(rules::check_radius));
    e
}

/// Create a liaison station (家站) in a region of your scope.
#[utoipa::path(tag = "stations", request_body = StationCreate, responses((status = 201, body = StationView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/stations")]
pub async fn create_station(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<StationCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    policy::role_allows(&p, Action::Write, Kind::Station)?;
    if p.role == crate::auth::Role::StationStaff {
        return Err(AppError::forbidden(
            Code::Forbidden,
            "station staff edit their stations but do not create new ones",
        ));
    }
    let errs = check_station_fields(
        Some(&b.kind),
        Some(&b.name),
        Some(&b.address),
        (Some(b.latitude), Some(b.longitude)),
        b.radius_m,
    );
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let path = crate::org::store::region_path(c, b.region_id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Station, path.clone()))?;
        let code = rules::public_code('S');
        let id = store::insert_station(
            c,
            &NewStation {
                region_id: b.region_id,
                kind: &b.kind,
                name: b.name.trim(),
                address: b.address.trim(),
                latitude: b.latitude,
                longitude: b.longitude,
                radius_m: b.radius_m.unwrap_or(rules::DEFAULT_RADIUS_M),
                opening_hours: b.opening_hours.as_deref(),
                contact_name: b.contact_name.as_deref(),
                contact_phone: b.contact_phone.as_deref(),
                public_code: &code,
                created_at: now,
                updated_at: now,
            },
        )?;
        Entry::by(&p, "station.create", "station", id.to_string()).region(Some(path.clone())).write(c, now)?;
        let v = StationView::from(store::station(c, id)?.ok_or_else(AppError::not_found)?.0);
        tell(c, v, &path, true, now)
    })
    .await?;
    Ok(with_etag(StatusCode::CREATED, station_etag(&view), &view))
}

/// List stations in your scope (filters: region subtree, kind, name).
#[utoipa::path(tag = "stations", params(ScopedQuery, PageQuery), responses((status = 200, body = Page<StationView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/stations")]
pub async fn list_stations(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ScopedQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<StationView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let q = q.into_inner();
    let rows = db::run(&state.db, move |c| {
        let scope = narrowed_filter(c, &p, Kind::Station, q.region_id)?;
        store::list_stations(c, &scope, q.kind.as_deref(), q.q.as_deref(), after, limit + 1)
    })
    .await?;
    Ok(web::Json(page(rows, limit, |s| s.id, StationView::from)))
}

/// Read a station.
#[utoipa::path(tag = "stations", params(("id" = i64, Path)), responses((status = 200, body = StationView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/stations/{id}")]
pub async fn get_station(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = db::run(&state.db, move |c| {
        let (row, path) = store::station(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Read, &Target::station(id, path))?;
        Ok(StationView::from(row))
    })
    .await?;
    Ok(with_etag(StatusCode::OK, station_etag(&view), &view))
}

/// Update a station (admins in scope, or its own staff; If-Match required).
#[utoipa::path(tag = "stations", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = StationUpdate, responses((status = 200, body = StationView), UpdateErrors), security(("bearer" = [])))]
#[patch("/api/v1/stations/{id}")]
pub async fn update_station(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<StationUpdate>,
) -> AppResult<HttpResponse> {
    let (id, b, given) = (id.into_inner(), body.into_inner(), if_match(&req));
    let errs = check_station_fields(
        b.kind.as_deref(),
        b.name.as_deref(),
        b.address.as_deref(),
        (b.latitude, b.longitude),
        b.radius_m,
    );
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        let (row, path) = store::station(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::station(id, path.clone()))?;
        check_if_match(given.as_deref(), &etag("station", id, row.version))?;
        if !store::update_station(c, id, row.version, &b, now)? {
            return Err(AppError::precondition_failed());
        }
        Entry::by(&p, "station.update", "station", id.to_string()).region(Some(path.clone())).write(c, now)?;
        let v = StationView::from(store::station(c, id)?.ok_or_else(AppError::not_found)?.0);
        tell(c, v, &path, false, now)
    })
    .await?;
    Ok(with_etag(StatusCode::OK, station_etag(&view), &view))
}

/// Delete a station (admins in scope).
#[utoipa::path(tag = "stations", params(("id" = i64, Path)), responses((status = 204, description = "deleted"), WriteErrors), security(("bearer" = [])))]
#[delete("/api/v1/stations/{id}")]
pub async fn delete_station(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.now();
    db::tx(&state.db, move |c| {
        let (_, path) = store::station(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Write, &Target::new(Kind::Station, path.clone()))?;
        if p.role != crate::auth::Role::Admin && p.role != crate::auth::Role::Client {
            return Err(AppError::forbidden(Code::Forbidden, "only admins delete stations"));
        }
        store::delete_station(c, id)?;
        Entry::by(&p, "station.delete", "station", id.to_string()).region(Some(path)).write(c, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Tells the feed a station was added or changed (its public record); answers its view.
fn tell(
    c: &mut crate::db::AnyConnection,
    v: StationView,
    path: &str,
    created: bool,
    now: chrono::NaiveDateTime,
) -> AppResult<StationView> {
    let d = crate::feed::data::StationChanged {
        station_id: v.id,
        name: v.name.clone(),
        kind: v.kind.clone(),
        region_id: v.region_id,
    };
    crate::feed::emit(c, &[crate::feed::Event::station(&d, created, path, now)])?;
    Ok(v)
}
