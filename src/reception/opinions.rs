//! Routes: a constituent leaves an opinion at a station or with a deputy (by the printed code),
//! gets a ticket number, follows the case and may withdraw it while nobody has acted on it.

use super::opinion_rules::{self as rules, Action, Actor};
use super::opinion_store::{self as store, Event, NewOpinion, OpinionRow};
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::platform::ratelimit;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpinionCreate {
    /// The station's printed code (or `deputy_code`: one of the two).
    pub station_code: Option<String>,
    pub deputy_code: Option<String>,
    /// urban_construction, transport, education, health, social_security, environment,
    /// public_safety, economy, agriculture or other.
    pub category: String,
    pub title: String,
    /// Plain text, at most 5,000 characters (never rendered as HTML).
    pub content: String,
    /// WGS-84.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    #[serde(default)]
    pub photo_urls: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpinionEvent {
    pub from_status: Option<String>,
    pub to_status: String,
    /// constituent, deputy, staff or unit.
    pub actor: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpinionView {
    pub ticket: String,
    pub category: String,
    pub title: String,
    pub content: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub photo_urls: Vec<String>,
    /// submitted, accepted, answered, forwarded, replied, closed, rated, rejected or withdrawn.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The case's history (in the single view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<OpinionEvent>>,
}

pub fn view(o: OpinionRow, events: Option<Vec<store::EventRow>>) -> OpinionView {
    OpinionView {
        ticket: o.ticket,
        category: o.category,
        title: o.title,
        content: o.content,
        latitude: o.latitude,
        longitude: o.longitude,
        photo_urls: serde_json::from_str(&o.photo_urls).unwrap_or_default(),
        status: o.status,
        created_at: utc(o.created_at),
        updated_at: utc(o.updated_at),
        events: events.map(|es| es.into_iter().map(|e| OpinionEvent { from_status: e.0, to_status: e.1, actor: e.2, note: e.3, at: utc(e.4) }).collect()),
    }
}

/// The caller's constituent id (constituents only).
fn constituent(c: &mut AnyConnection, p: &Principal) -> AppResult<i64> {
    if p.role != Role::Constituent {
        return Err(AppError::forbidden("forbidden", "opinions are left by constituents signed in with their phone"));
    }
    store::constituent_of(c, p.account_id)?.ok_or_else(|| AppError::forbidden("forbidden", "no constituent behind this account"))
}

/// The caller's own opinion by ticket (404 for anyone else's: tickets can be guessed).
fn own(c: &mut AnyConnection, p: &Principal, ticket: &str) -> AppResult<OpinionRow> {
    let me = constituent(c, p)?;
    store::by_ticket(c, ticket)?.filter(|o| o.constituent_id == me).ok_or_else(AppError::not_found)
}

/// Where an opinion goes: (station, deputy, region path) from a printed code.
fn addressee(c: &mut AnyConnection, station: Option<&str>, deputy: Option<&str>) -> AppResult<(Option<i64>, Option<i64>, String)> {
    let unknown = |f: &str| AppError::invalid_field(f, "unknown_code", "no station or deputy has this code");
    match (station, deputy) {
        (Some(code), None) => {
            let s = crate::org::station_by_code(c, code)?.ok_or_else(|| unknown("station_code"))?;
            let path = crate::org::region_path(c, s.region_id)?.ok_or_else(AppError::not_found)?;
            Ok((Some(s.id), None, path))
        }
        (None, Some(code)) => {
            let (id, ..) = crate::org::public_deputy(c, code)?.ok_or_else(|| unknown("deputy_code"))?;
            let path = crate::org::deputy_region_paths(c, id)?.and_then(|p| p.into_iter().next()).ok_or_else(|| unknown("deputy_code"))?;
            Ok((None, Some(id), path))
        }
        _ => Err(AppError::invalid_field("station_code", "exclusive", "give station_code or deputy_code, one of them")),
    }
}

/// Leave an opinion at a station or with a deputy; the answer carries the ticket number to
/// follow it by. At most 5 an hour per constituent (429).
#[utoipa::path(tag = "reception", request_body = OpinionCreate, responses((status = 201, body = OpinionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions")]
pub async fn submit(state: web::Data<AppState>, p: Principal, body: web::Json<OpinionCreate>) -> AppResult<HttpResponse> {
    if p.role != Role::Constituent {
        return Err(AppError::forbidden("forbidden", "opinions are left by constituents signed in with their phone"));
    }
    let b = body.into_inner();
    let errs = rules::check(&b.category, &b.title, &b.content, &b.photo_urls, (b.latitude, b.longitude));
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    ratelimit::hit(&state.cache, &state.clock, &format!("opinion:{}", p.account_id), 5, 3600).await?;
    let (now, day) = (state.now(), state.clock.now().with_timezone(&state.settings.tz).date_naive());
    let v = db::tx(&state.db, move |c| {
        let me = constituent(c, &p)?;
        let (station, deputy, path) = addressee(c, b.station_code.as_deref(), b.deputy_code.as_deref())?;
        let ticket = rules::ticket(day, store::next_seq(c, &day.format("%Y%m%d").to_string())?);
        let photos = serde_json::to_string(&b.photo_urls).map_err(AppError::internal)?;
        let new = NewOpinion {
            constituent: me,
            station,
            deputy,
            region_path: &path,
            category: &b.category,
            title: b.title.trim(),
            content: &b.content,
            position: (b.latitude, b.longitude),
            photos: &photos,
        };
        let id = store::insert(c, &ticket, &new, now)?;
        store::event(c, id, &Event { from: None, to: "submitted", account: p.account_id, role: "constituent", note: None }, now)?;
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        Ok(view(o, None))
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// My opinions, newest first.
#[utoipa::path(tag = "reception", params(PageQuery), responses((status = 200, body = Page<OpinionView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/opinions")]
pub async fn mine(state: web::Data<AppState>, p: Principal, pq: web::Query<PageQuery>) -> AppResult<web::Json<Page<OpinionView>>> {
    let (before, limit) = (pq.after()?, pq.limit()?);
    let rows = db::run(&state.db, move |c| {
        let me = constituent(c, &p)?;
        store::of_constituent(c, me, before, limit)
    })
    .await?;
    Ok(web::Json(page(rows, limit, |o| o.id, |o| view(o, None))))
}

/// One of my opinions with its history (404 for anyone else's ticket).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = OpinionView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/opinions/{ticket}")]
pub async fn one(state: web::Data<AppState>, p: Principal, ticket: web::Path<String>) -> AppResult<web::Json<OpinionView>> {
    let ticket = ticket.into_inner();
    let v = db::run(&state.db, move |c| {
        let o = own(c, &p, &ticket)?;
        let events = store::events(c, o.id)?;
        Ok(view(o, Some(events)))
    })
    .await?;
    Ok(web::Json(v))
}

/// Withdraw my opinion while it is submitted or accepted (409 `illegal_transition` later).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = OpinionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/opinions/{ticket}/withdraw")]
pub async fn withdraw(state: web::Data<AppState>, p: Principal, ticket: web::Path<String>) -> AppResult<web::Json<OpinionView>> {
    let (ticket, now) = (ticket.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let o = own(c, &p, &ticket)?;
        let to = rules::next(&o.status, Action::Withdraw, Actor::Constituent)
            .ok_or_else(|| AppError::conflict("illegal_transition", format!("a {} opinion cannot be withdrawn", o.status)))?;
        if !store::set_status(c, o.id, &o.status, to, now)? {
            return Err(AppError::conflict("illegal_transition", "the opinion changed meanwhile"));
        }
        store::event(c, o.id, &Event { from: Some(&o.status), to, account: p.account_id, role: "constituent", note: None }, now)?;
        let o = own(c, &p, &ticket)?;
        let events = store::events(c, o.id)?;
        Ok(view(o, Some(events)))
    })
    .await?;
    Ok(web::Json(v))
}
