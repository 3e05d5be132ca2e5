//! Routes for deputies and their seats, including the audited read of a full phone number.

use super::model::{DeputyCreate, DeputyQuery, DeputyUpdate, DeputyView, PhoneView};
use super::record::{check_person, insert_seat, load, respond};
use super::views::deputy_view;
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind};
use crate::auth::Principal;
use crate::db::{self};
use crate::error::{AppError, AppResult, Problem, ReadErrors, UpdateErrors, WriteErrors};
use crate::http::{check_if_match, etag, if_match, page, Page, PageQuery};
use crate::org::store::deputies::{self as store, DeputyChanges, DeputyFilter, NewDeputy};
use crate::org::{narrowed_filter, rules};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use std::collections::HashMap;

/// Create a deputy with at least one seat in your scope.
#[utoipa::path(tag = "deputies", request_body = DeputyCreate, responses((status = 201, body = DeputyView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/deputies")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<DeputyCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    policy::role_allows(&p, Action::Write, Kind::Deputy)?;
    let phone = check_person(
        Some(&b.name),
        Some(&b.gender),
        b.phone.as_deref(),
        b.photo_url.as_deref(),
        b.introduction.as_deref(),
    )?;
    if b.seats.is_empty() {
        return Err(AppError::invalid_field("seats", "required", "a deputy holds at least one seat"));
    }
    let now = state.now();
    let (view, version) = db::tx(&state.db, move |c| {
        let code = rules::public_code('D');
        let gender = rules::parse_gender(&b.gender).unwrap_or("male");
        let id = store::insert_deputy(
            c,
            &NewDeputy {
                name: b.name.trim(),
                gender,
                phone: phone.as_deref(),
                photo_url: b.photo_url.as_deref(),
                introduction: b.introduction.as_deref(),
                public_code: &code,
                created_at: now,
                updated_at: now,
            },
        )?;
        let mut first_path = None;
        for (i, s) in b.seats.iter().enumerate() {
            let path = insert_seat(c, &p, id, s, i, now)?;
            first_path.get_or_insert(path);
        }
        Entry::by(&p, "deputy.create", "deputy", id.to_string()).region(first_path).write(c, now)?;
        let (v, paths, version) = load(c, &p, id, Action::Read)?;
        super::record::tell(c, id, &v.name, &paths, true, now)?;
        Ok((v, version))
    })
    .await?;
    Ok(respond(StatusCode::CREATED, &view, version))
}

/// List deputies (full records in your scope; the public profile for deputies and units).
#[utoipa::path(tag = "deputies", params(DeputyQuery, PageQuery), responses((status = 200, body = Page<DeputyView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/deputies")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<DeputyQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<DeputyView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let q = q.into_inner();
    if q.level.as_deref().is_some_and(|l| rules::parse_level(l).is_none()) {
        return Err(AppError::invalid_field(
            "level",
            "invalid_value",
            "national, provincial, city, county or township",
        ));
    }
    let items = db::run(&state.db, move |c| {
        let scope = narrowed_filter(c, &p, Kind::Deputy, q.region_id)?;
        let f = DeputyFilter {
            scope,
            level: q.level.as_deref().and_then(rules::parse_level).map(str::to_string),
            group_id: q.group_id,
            status: q.status,
            term: q.term,
            q: q.q,
        };
        let rows = store::list_deputies(c, &f, after, limit + 1)?;
        let ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
        let mut seats: HashMap<i64, Vec<store::SeatRow>> = HashMap::new();
        for s in store::seats_of(c, &ids)? {
            seats.entry(s.deputy_id).or_default().push(s);
        }
        Ok(rows
            .into_iter()
            .map(|d| {
                let ss = seats.remove(&d.id).unwrap_or_default();
                deputy_view(&p, d, &ss)
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(page(items, limit, |d| d.id, |d| d)))
}

/// Read a deputy.
#[utoipa::path(tag = "deputies", params(("id" = i64, Path)), responses((status = 200, body = DeputyView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/deputies/{id}")]
pub async fn get_one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (v, _, version) = db::run(&state.db, move |c| load(c, &p, id, Action::Read)).await?;
    Ok(respond(StatusCode::OK, &v, version))
}

/// Update a deputy's personal fields (If-Match required).
#[utoipa::path(tag = "deputies", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = DeputyUpdate, responses((status = 200, body = DeputyView), UpdateErrors), security(("bearer" = [])))]
#[patch("/api/v1/deputies/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<DeputyUpdate>,
) -> AppResult<HttpResponse> {
    let (id, b, given) = (id.into_inner(), body.into_inner(), if_match(&req));
    let phone = check_person(
        b.name.as_deref(),
        b.gender.as_deref(),
        b.phone.as_deref(),
        b.photo_url.as_deref(),
        b.introduction.as_deref(),
    )?;
    let now = state.now();
    let (v, version) = db::tx(&state.db, move |c| {
        let (_, paths, version) = load(c, &p, id, Action::Write)?;
        check_if_match(given.as_deref(), &etag("deputy", id, version))?;
        let ch = DeputyChanges {
            name: b.name.as_deref().map(str::trim),
            gender: b.gender.as_deref().and_then(rules::parse_gender),
            phone: phone.as_deref(),
            photo_url: b.photo_url.as_deref(),
            introduction: b.introduction.as_deref(),
            version: version + 1,
            updated_at: now,
        };
        if !store::update_deputy(c, id, version, &ch)? {
            return Err(AppError::precondition_failed());
        }
        let fields: Vec<&str> = [
            ("name", b.name.is_some()),
            ("gender", b.gender.is_some()),
            ("phone", b.phone.is_some()),
            ("photo_url", b.photo_url.is_some()),
            ("introduction", b.introduction.is_some()),
        ]
        .iter()
        .filter(|x| x.1)
        .map(|x| x.0)
        .collect();
        Entry::by(&p, "deputy.update", "deputy", id.to_string())
            .region(paths.first().cloned())
            .detail(fields.join(","))
            .write(c, now)?;
        let (v, paths, version) = load(c, &p, id, Action::Read)?;
        super::record::tell(c, id, &v.name, &paths, false, now)?;
        Ok((v, version))
    })
    .await?;
    Ok(respond(StatusCode::OK, &v, version))
}

/// Read a deputy's full phone number (staff in scope; every read is audited).
#[utoipa::path(tag = "deputies", params(("id" = i64, Path)), responses((status = 200, body = PhoneView), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/api/v1/deputies/{id}/phone")]
pub async fn read_phone(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<PhoneView>> {
    let id = id.into_inner();
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let (_, paths, _) = load(c, &p, id, Action::ReadPhone)?;
        let d = store::deputy(c, id)?.ok_or_else(AppError::not_found)?;
        Entry::by(&p, "deputy.read_phone", "deputy", id.to_string()).region(paths.first().cloned()).write(c, now)?;
        Ok(PhoneView { deputy_id: id, phone: d.phone })
    })
    .await?;
    Ok(web::Json(v))
}
