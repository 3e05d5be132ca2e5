//! Routes: a constituent leaves an opinion at a station or with a deputy (by the printed code)
//! and gets a ticket number; may withdraw it while nobody has acted on it; finds similar open
//! cases nearby and follows one instead of filing it again.

use super::case::{self, Access, CaseView};
use super::handling_store as hs;
use super::model::{view, OpinionView};
use super::opinion_rules::{self as rules, Action};
use super::opinion_store::{self as store, Event, NewOpinion, OpinionRow};
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, ReadErrors, WriteErrors};
use crate::platform::ratelimit;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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

/// The caller's constituent id (constituents only).
fn constituent(c: &mut AnyConnection, p: &Principal) -> AppResult<i64> {
    if p.role != Role::Constituent {
        return Err(AppError::forbidden("forbidden", "opinions are left by constituents signed in with their phone"));
    }
    store::constituent_of(c, p.account_id)?.ok_or_else(|| AppError::forbidden("forbidden", "no constituent behind this account"))
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
    let (now, tz) = (state.now(), state.settings.tz);
    let day = state.clock.now().with_timezone(&tz).date_naive();
    let v = db::tx(&state.db, move |c| {
        let me = constituent(c, &p)?;
        let (station, mut deputy, path) = addressee(c, b.station_code.as_deref(), b.deputy_code.as_deref())?;
        if let Some(s) = station {
            // Left at a station: the deputy on duty there now, or next, receives it (staff may
            // hand it to another).
            deputy = crate::checkins::roster::on_duty_deputy(c, s, now)?;
        }
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
        let wake = match deputy {
            Some(d) => Some(crate::live::store::record(c, Some(d), None, "opinion_assigned", &serde_json::json!({"ticket": ticket}), now)?),
            None => None,
        };
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        Ok((view(o, None), wake))
    })
    .await?;
    crate::live::announce(&state, &v.1.into_iter().collect::<Vec<_>>()).await;
    Ok(HttpResponse::Created().json(v.0))
}

/// Withdraw my opinion while it is submitted or accepted (409 `illegal_transition` later).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/opinions/{ticket}/withdraw")]
pub async fn withdraw(state: web::Data<AppState>, p: Principal, ticket: web::Path<String>) -> AppResult<web::Json<CaseView>> {
    let (ticket, now) = (ticket.into_inner(), state.now());
    let (v, wakes) = db::tx(&state.db, move |c| {
        let o = case::open_as(c, &p, &ticket, Access::Owner)?;
        let (_, wakes) = case::transition(c, &o, Action::Withdraw, (&p, Access::Owner), None, now)?;
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        Ok((case::case_view(c, o, Access::Owner, now)?, wakes))
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(web::Json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SimilarQuery {
    pub category: String,
    /// WGS-84.
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SimilarCase {
    pub ticket: String,
    pub category: String,
    pub title: String,
    pub status: String,
    pub distance_m: f64,
    pub created_at: DateTime<Utc>,
}

/// Cases still open within 200 m and 30 days: (case, distance), nearest first.
pub fn similar_to(c: &mut AnyConnection, category: &str, at: (f64, f64), now: chrono::NaiveDateTime, except: i64) -> AppResult<Vec<(OpinionRow, f64)>> {
    let since = now - chrono::Duration::days(rules::DUPLICATE_DAYS);
    let rows = hs::nearby_open(c, category, rules::bbox(at, rules::DUPLICATE_METRES), since, except)?;
    let mut near: Vec<(OpinionRow, f64)> = rows
        .into_iter()
        .filter_map(|o| Some((o.latitude?, o.longitude?, o)))
        .map(|(la, lo, o)| (o, rules::distance_m(at, (la, lo))))
        .filter(|(_, d)| *d <= rules::DUPLICATE_METRES)
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(near)
}

/// Open cases of the same category within 200 m of a place, left in the last 30 days: follow
/// one of them instead of filing the matter again.
#[utoipa::path(tag = "reception", params(SimilarQuery), responses((status = 200, body = Vec<SimilarCase>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/opinions/similar")]
pub async fn similar(state: web::Data<AppState>, p: Principal, q: web::Query<SimilarQuery>) -> AppResult<web::Json<Vec<SimilarCase>>> {
    let q = q.into_inner();
    let errs = rules::check(&q.category, "-", "-", &[], (Some(q.latitude), Some(q.longitude)));
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let v = db::run(&state.db, move |c| {
        constituent(c, &p)?;
        similar_to(c, &q.category, (q.latitude, q.longitude), now, 0)
    })
    .await?;
    Ok(web::Json(v.into_iter().take(20).map(|(o, d)| similar_case(o, d)).collect()))
}

pub fn similar_case(o: OpinionRow, distance: f64) -> SimilarCase {
    SimilarCase { ticket: o.ticket, category: o.category, title: o.title, status: o.status, distance_m: distance.round(), created_at: utc(o.created_at) }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowRequest {
    /// Where the follower is (WGS-84): only a case within 200 m can be followed, so tickets
    /// cannot be guessed from afar.
    pub latitude: f64,
    pub longitude: f64,
}

/// Follow an open case near me instead of filing it again: its changes reach me too, and it is
/// listed with my opinions (without the thread addressed to the person who filed it).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = FollowRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/follow")]
pub async fn follow(state: web::Data<AppState>, p: Principal, ticket: web::Path<String>, body: web::Json<FollowRequest>) -> AppResult<web::Json<CaseView>> {
    let (ticket, now, b) = (ticket.into_inner(), state.now(), body.into_inner());
    let v = db::tx(&state.db, move |c| {
        let me = constituent(c, &p)?;
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        if o.constituent_id == me {
            return case::case_view(c, o, Access::Owner, now);
        }
        let near = o.latitude.zip(o.longitude).is_some_and(|x| rules::distance_m(x, (b.latitude, b.longitude)) <= rules::DUPLICATE_METRES);
        if !near || !rules::OPEN.contains(&o.status.as_str()) {
            return Err(AppError::not_found());
        }
        hs::follow(c, o.id, me, now)?;
        case::case_view(c, o, Access::Follower, now)
    })
    .await?;
    Ok(web::Json(v))
}
