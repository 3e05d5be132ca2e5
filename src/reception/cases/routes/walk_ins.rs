//! Routes: filing a case for someone at a station (a walk-in, a phone call, a letter, a
//! reception) — by the station's staff, congress staff in scope, or a deputy checked in there;
//! and what a deputy collected elsewhere (`deputy_collected`), filed against their own congress.

use super::opinions::ensure_ticket_day;
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::platform::idempotency::{self, Answer, IdemKey};
use crate::reception::cases::rules;
use crate::reception::cases::walk_ins::{self, WalkIn};
use crate::reception::model::{view, OpinionView};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How what a person said reached the station.
pub const CHANNELS: [&str; 4] = ["walk_in", "phone", "letter", "reception"];

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInCreate {
    /// At a station: walk_in, phone, letter or reception; a deputy's own collection:
    /// deputy_collected.
    pub channel: String,
    /// As for an opinion: one of the ten categories.
    pub category: String,
    pub title: String,
    /// Plain text, at most 5,000 characters.
    pub content: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// wgs84 (default), gcj02 or bd09.
    pub coord_system: Option<String>,
    /// The person's mobile number, when they want to follow the case (the ticket is texted).
    pub phone: Option<String>,
    /// verbal or written: required with a phone (422 `consent_required`).
    pub consent: Option<String>,
    /// The name the person gave, if they gave one (at most 50 characters; kept sealed, shown to
    /// the station's staff only).
    pub name: Option<String>,
}

/// Who may file at this station: its staff, congress staff above it, a deputy checked in there
/// (403 for a deputy who is not); 404 for a station out of the caller's reach.
fn may_file(c: &mut db::AnyConnection, p: &Principal, station: i64) -> AppResult<String> {
    match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) => {
            let (_, path) = crate::org::station_region(c, station)?.ok_or_else(AppError::not_found)?;
            if crate::checkins::is_checked_in(c, d, station)? {
                return Ok(path);
            }
            Err(AppError::forbidden(Code::Forbidden, "a deputy files for someone while checked in at the station"))
        }
        _ => crate::reception::desk::scope::staff_of(c, p, station),
    }
}

fn check(b: &mut WalkInCreate, channels: &[&str]) -> AppResult<Option<String>> {
    let mut errs = rules::check(&b.category, &b.title, &b.content, &[], (b.latitude, b.longitude));
    b.name = b.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    if b.name.as_deref().is_some_and(|n| n.chars().count() > 50 || n.chars().any(char::is_control)) {
        errs.push(FieldError::new("name", "invalid_name", "at most 50 characters, one line"));
    }
    if !channels.contains(&b.channel.as_str()) {
        errs.push(FieldError::new("channel", "invalid_value", channels.join(", ")));
    }
    match rules::in_wgs84(b.coord_system.as_deref(), (b.latitude, b.longitude)) {
        Ok(at) => (b.latitude, b.longitude) = at,
        Err(e) => errs.push(e),
    }
    let phone = match b.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => match crate::org::rules::normalize_phone(raw) {
            None => {
                errs.push(FieldError::new("phone", "invalid_phone", "a mainland mobile number, 11 digits"));
                None
            }
            Some(p) => Some(p),
        },
    };
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    if phone.is_some() && !matches!(b.consent.as_deref(), Some("verbal" | "written")) {
        return Err(AppError::invalid_field(
            "consent",
            "consent_required",
            "verbal or written: the person agreed to have their phone kept and texted",
        ));
    }
    Ok(phone)
}

/// File what a person said at the station for them: it starts accepted and goes to the deputy
/// checked in there (or on duty). With their phone and consent the case is theirs: the ticket
/// is texted and they find it at their first sign-in. `Idempotency-Key` makes a retry safe.
#[utoipa::path(tag = "reception", params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "makes a retry safe")),
    request_body = WalkInCreate, responses((status = 201, body = OpinionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/stations/{id}/walk-ins")]
pub async fn file(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<WalkInCreate>,
) -> AppResult<HttpResponse> {
    file_for(state, p, req, Some(id.into_inner()), body.into_inner()).await
}

/// File what a constituent told me elsewhere (a deputy; `channel: deputy_collected`): the case
/// goes to my congress's staff like any case, is mine to answer, and earns a duty point
/// (rule `opinion_collected`, capped per year). `Idempotency-Key` makes a retry safe.
#[utoipa::path(tag = "reception", params(("Idempotency-Key" = Option<String>, Header, description = "makes a retry safe")),
    request_body = WalkInCreate, responses((status = 201, body = OpinionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/collected-opinions")]
pub async fn collect(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    body: web::Json<WalkInCreate>,
) -> AppResult<HttpResponse> {
    if p.role != Role::Deputy || p.deputy_id.is_none() {
        return Err(AppError::forbidden(Code::Forbidden, "deputies file what they collected"));
    }
    file_for(state, p, req, None, body.into_inner()).await
}

async fn file_for(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    station: Option<i64>,
    mut b: WalkInCreate,
) -> AppResult<HttpResponse> {
    let key = IdemKey::from_request(&req, p.account_id, &b)?;
    let (now, tz, quiet, pii) = (state.now(), state.settings.tz, state.settings.quiet_hours, state.pii.clone());
    let day = state.clock.now().with_timezone(&tz).date_naive();
    ensure_ticket_day(&state, day).await?;
    let base = state.settings.public_base_url.clone();
    let (answer, wake) = db::tx(&state.db, move |c| {
        let path = match (station, p.deputy_id) {
            (Some(s), _) => may_file(c, &p, s)?,
            (None, Some(me)) => crate::org::congress_path(
                crate::org::deputy_scopes(c, &[me])?.get(&me).map(Vec::as_slice).unwrap_or_default(),
            ),
            (None, None) => return Err(AppError::forbidden(Code::Forbidden, "deputies file what they collected")),
        };
        let phone = check(&mut b, if station.is_some() { &CHANNELS } else { &["deputy_collected"] })?;
        if let Some(Some(done)) =
            key.as_ref().map(|k| idempotency::lookup_many(c, &[k])).transpose()?.and_then(|mut v| v.pop())
        {
            return Ok((done?, None));
        }
        let w = WalkIn {
            station,
            region_path: &path,
            channel: &b.channel,
            category: &b.category,
            title: &b.title,
            content: &b.content,
            position: (b.latitude, b.longitude),
            phone: phone.as_deref().zip(b.consent.as_deref()),
            name: b.name.as_deref(),
        };
        let (o, wake, constituent) = walk_ins::file(c, &pii, &p, &w, day, now)?;
        if let (Some(k), Some(phone)) = (constituent, phone.as_deref()) {
            let link = rules::case_link(base.as_deref(), &o.ticket);
            let at = if station.is_some() { "已在代表联络站登记" } else { "已由人大代表代为登记" };
            let body = format!("【履职】您反映的意见{at}，编号{}。查看进度：{link}", o.ticket);
            let to = format!("constituent:{k}");
            let dedup = format!("case:{}:filed", o.id);
            crate::sms::enqueue_milestone(c, &pii, (phone, &to), &body, &dedup, now, (quiet, tz))?;
        }
        let answer = Answer::json(StatusCode::CREATED, &view(o, None))?;
        if let Some(k) = &key {
            idempotency::store_many(c, &[(k, &answer)], now)?;
        }
        Ok((answer, wake))
    })
    .await?;
    crate::live::announce(&state, &wake.into_iter().collect::<Vec<_>>()).await;
    Ok(answer.into_response())
}
