//! Routes: a constituent leaves an opinion at a station or with a deputy (by the printed code)
//! and gets a ticket number; may withdraw it while nobody has acted on it; finds similar open
//! cases nearby and follows one instead of filing it again.

use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::platform::idempotency::{self, IdemKey};
use crate::platform::ratelimit;
use crate::reception::cases::case::{self, Access, CaseView};
use crate::reception::cases::filing::Filing;
use crate::reception::cases::rules::{self as rules, Action};
use crate::reception::model::OpinionView;
use crate::reception::store::opinions::{self as store};
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The position's system: wgs84 (default), gcj02 (WeChat's JS-SDK, Amap) or bd09; it is
    /// stored as WGS-84.
    pub coord_system: Option<String>,
    /// Photos hosted elsewhere (third-party front-ends), at most 9 https URLs.
    #[serde(default)]
    pub photo_urls: Vec<String>,
    /// Photos uploaded with `POST /api/v1/opinion-photos` (at most 9, the caller's own, not yet
    /// attached; another id → 422 `unknown_photo`).
    #[serde(default)]
    pub photo_ids: Vec<i64>,
}

/// The caller's constituent id (constituents only; 403 for anyone else).
pub fn constituent(c: &mut AnyConnection, p: &Principal) -> AppResult<i64> {
    if p.role != Role::Constituent {
        return Err(AppError::forbidden(
            Code::Forbidden,
            "opinions are left by constituents signed in with their phone",
        ));
    }
    store::constituent_of(c, p.account_id)?
        .ok_or_else(|| AppError::forbidden(Code::Forbidden, "no constituent behind this account"))
}

/// Leave an opinion at a station or with a deputy; the answer carries the ticket number to
/// follow it by. At most 5 an hour per constituent (429). A phone on a weak network sends an
/// `Idempotency-Key`: a retry gets the first answer again and files nothing twice.
#[utoipa::path(tag = "reception", request_body = OpinionCreate, params(("Idempotency-Key" = Option<String>, Header, description = "makes a retry safe")),
    responses((status = 201, body = OpinionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions")]
pub async fn submit(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    body: web::Json<OpinionCreate>,
) -> AppResult<HttpResponse> {
    if p.role != Role::Constituent {
        return Err(AppError::forbidden(
            Code::Forbidden,
            "opinions are left by constituents signed in with their phone",
        ));
    }
    let b = body.into_inner();
    let key = IdemKey::from_request(&req, p.account_id, &b)?;
    let mut b = b;
    let mut errs = rules::check(&b.category, &b.title, &b.content, &b.photo_urls, (b.latitude, b.longitude));
    if b.photo_ids.len() > 9 || b.photo_ids.len() + b.photo_urls.len() > 9 {
        errs.push(crate::error::FieldError::new("photo_ids", "too_many", "at most 9 photos in all"));
    }
    match rules::in_wgs84(b.coord_system.as_deref(), (b.latitude, b.longitude)) {
        Ok(at) => (b.latitude, b.longitude) = at,
        Err(e) => errs.push(e),
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    b.photo_ids.sort_unstable();
    b.photo_ids.dedup();
    // Retries of one key (a phone resending on a weak network) count once against the limit;
    // a refused request leaves no marker, so resending it is refused again.
    let marker = key.as_ref().map(|k| format!("opinion-key:{}:{}", k.account, k.key));
    let first_send = match &marker {
        Some(m) => state.cache.set_nx(m, "1", std::time::Duration::from_secs(3600)).await.unwrap_or(true),
        None => true,
    };
    if first_send {
        if let Err(e) = ratelimit::hit(&state.cache, &state.clock, &format!("opinion:{}", p.account_id), 5, 3600).await
        {
            if let Some(m) = &marker {
                if let Err(d) = state.cache.del(m).await {
                    tracing::warn!(error = %d, "could not drop the marker of a refused opinion");
                }
            }
            return Err(e);
        }
    }
    let (now, tz) = (state.now(), state.settings.tz);
    let day = state.clock.now().with_timezone(&tz).date_naive();
    ensure_ticket_day(&state, day).await?;
    let photos = serde_json::to_string(&b.photo_urls).map_err(AppError::internal)?;
    let filing = Filing { account: p.account_id, key: key.clone(), body: b, photos, now, day };
    let (answer, wake) = match (state.opinion_writes.submit(std::sync::Arc::new(filing)).await, key) {
        (Ok(x), _) => x,
        // Two retries raced on two instances: the loser meets the winner's key and gets its answer.
        (Err(e), Some(k)) => {
            match db::run(&state.db, move |c| idempotency::lookup_many(c, &[&k])).await?.pop().flatten() {
                Some(a) => (a?, None),
                None => return Err(e),
            }
        }
        (Err(e), None) => return Err(e),
    };
    crate::live::announce(&state, &wake.into_iter().collect::<Vec<_>>()).await;
    Ok(answer.into_response())
}

/// The days (per database) whose ticket sequence this process made sure of.
static TICKET_DAYS: std::sync::Mutex<Vec<(String, chrono::NaiveDate)>> = std::sync::Mutex::new(Vec::new());

/// Makes sure today's ticket sequence exists, once per day and process.
pub async fn ensure_ticket_day(state: &AppState, day: chrono::NaiveDate) -> AppResult<()> {
    let db_name = format!("{:?}", state.settings.database_url);
    if TICKET_DAYS.lock().map(|d| d.iter().any(|x| x.0 == db_name && x.1 == day)).unwrap_or(false) {
        return Ok(());
    }
    let name = day.format("%Y%m%d").to_string();
    let first = db::run(&state.db, {
        let name = name.clone();
        move |c| store::ensure_day(c, &name)
    })
    .await;
    if first.is_err() {
        // Two instances creating it at the same moment: the loser's second try finds it.
        db::run(&state.db, move |c| store::ensure_day(c, &name)).await?;
    }
    if let Ok(mut d) = TICKET_DAYS.lock() {
        d.retain(|x| x.1 >= day);
        d.push((db_name, day));
    }
    Ok(())
}

/// Withdraw my opinion while it is submitted or accepted (409 `illegal_transition` later).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/opinions/{ticket}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
) -> AppResult<web::Json<CaseView>> {
    let (ticket, now, pii) = (ticket.into_inner(), state.now(), state.pii.clone());
    let (v, wakes) = db::tx(&state.db, move |c| {
        let o = case::open_as(c, &p, &ticket, Access::Owner)?;
        let (_, wakes) = case::transition(c, &o, Action::Withdraw, (&p, Access::Owner), None, now)?;
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        Ok((case::case_view(c, &pii, o, Access::Owner, now)?, wakes))
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(web::Json(v))
}

/// Looks at similar cases allowed per constituent and hour, and follows per day.
pub const SIMILAR_PER_HOUR: u64 = 20;
const FOLLOWS_PER_DAY: u64 = 10;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowRequest {
    /// Where the follower is: only a case within 200 m can be followed, so tickets cannot be
    /// guessed from afar.
    pub latitude: f64,
    pub longitude: f64,
    /// wgs84 (default), gcj02 or bd09.
    pub coord_system: Option<String>,
}

/// Follow an open case near me instead of filing it again: its changes of status reach me too,
/// and it is listed with my opinions as a summary (category, status, the title and answer staff
/// approved as public; never its content, position, photos or thread). 10 a day (429).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = FollowRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/follow")]
pub async fn follow(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<FollowRequest>,
) -> AppResult<web::Json<CaseView>> {
    let (ticket, now, b, pii) = (ticket.into_inner(), state.now(), body.into_inner(), state.pii.clone());
    if p.role == Role::Constituent {
        ratelimit::hit(&state.cache, &state.clock, &format!("follow:{}", p.account_id), FOLLOWS_PER_DAY, 86_400)
            .await?;
    }
    let here = rules::to_wgs84(b.coord_system.as_deref(), b.latitude, b.longitude)
        .map_err(|e| AppError::validation(vec![e]))?;
    let v = db::tx(&state.db, move |c| {
        let me = constituent(c, &p)?;
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        if o.constituent_id == Some(me) {
            return case::case_view(c, &pii, o, Access::Owner, now);
        }
        let near = o.latitude.zip(o.longitude).is_some_and(|x| rules::distance_m(x, here) <= rules::DUPLICATE_METRES);
        if !near || !rules::OPEN.contains(&o.status.as_str()) {
            return Err(AppError::not_found());
        }
        crate::reception::store::threads::follow(c, o.id, me, now)?;
        case::case_view(c, &pii, o, Access::Follower, now)
    })
    .await?;
    Ok(web::Json(v))
}
