//! Routes: webhook subscriptions, managed by admins for the clients in their region — create
//! (the signing secret shown once), list, read, resume a paused one, disable, rotate the secret
//! (the old one keeps signing for a day, so the receiver can switch without losing a delivery).

use crate::audit::Entry;
use crate::auth::{policy, Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::feed::model::{SubscriptionCreate, SubscriptionSecret, SubscriptionView};
use crate::feed::rules;
use crate::feed::store as events;
use crate::feed::store::subscriptions::{self as store, NewSubscription, SubscriptionRow};
use crate::http::{page, Page, PageQuery};
use crate::platform::pii::Pii;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};

/// The column whose values the signing secrets are sealed under.
pub const SECRET_FIELD: &str = "feed_subscriptions.secret";

pub fn view(r: &SubscriptionRow) -> SubscriptionView {
    SubscriptionView {
        id: r.id,
        client_id: r.client_id,
        url: r.url.clone(),
        types: r.types.split_whitespace().map(str::to_string).collect(),
        region_id: r.region_id,
        status: r.status.clone(),
        delivered_through: r.cursor_seq,
        delivered: r.delivered,
        attempts: r.attempts,
        next_attempt_at: db::utc(r.next_attempt_at),
        failing_since: r.failing_since.map(db::utc),
        last_error: r.last_error.clone(),
        created_at: db::utc(r.created_at),
    }
}

fn fresh_secret() -> AppResult<String> {
    let mut b = [0u8; 32];
    aws_lc_rs::rand::fill(&mut b).map_err(|_| AppError::internal("no system randomness"))?;
    Ok(rules::new_secret(b))
}

/// A subscription the admin may manage (404 otherwise).
fn managed(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<SubscriptionRow> {
    let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    policy::may_manage_account(p, Some(&row.region_path))?;
    Ok(row)
}

/// Subscribe a client to the feed by webhook (admins; 422 `url_not_allowed` for a private or
/// loopback address not allowed).
#[utoipa::path(
    tag = "feed",
    request_body = SubscriptionCreate,
    responses((status = 201, body = SubscriptionSecret), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/feed/subscriptions")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<SubscriptionCreate>,
) -> AppResult<HttpResponse> {
    policy::role_allows(&p, policy::Action::Write, policy::Kind::Account)?;
    let b = body.into_inner();
    if b.url.len() > 500 || b.url.contains('\0') {
        return Err(AppError::invalid_field("url", "invalid_url", "at most 500 characters"));
    }
    crate::platform::outbound::check_url(&b.url, &state.settings.outbound_allow)
        .map_err(|why| AppError::new(Code::UrlNotAllowed, why))?;
    let types = rules::parse_types(&b.types.join(","))
        .map_err(|t| AppError::invalid_field("types", "unknown_type", format!("unknown event type `{t}`")))?;
    let types: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    let secret = fresh_secret()?;
    let sealed = state.pii.seal(SECRET_FIELD, &secret);
    let now = state.now();
    let row = db::tx(&state.db, move |c| {
        let client = crate::auth::account_by_id(c, b.client_id)?.ok_or_else(AppError::not_found)?;
        let client_path = match client.region_id {
            Some(r) => Some(crate::org::region_path(c, r)?.ok_or_else(AppError::not_found)?),
            None => None,
        };
        // An account outside the admin's region answers like a missing one.
        match (&client_path, &p.region_path) {
            (Some(cp), _) => policy::may_manage_account(&p, Some(cp))?,
            (None, Some(_)) => return Err(AppError::not_found()),
            (None, None) => {}
        }
        if Role::parse(&client.role) != Some(Role::Client) {
            return Err(AppError::invalid_field("client_id", "not_a_client", "the account is not a client"));
        }
        let region_id = b
            .region_id
            .or(client.region_id)
            .ok_or_else(|| AppError::invalid_field("region_id", "required", "name the region (the client has none)"))?;
        let path = crate::org::region_path(c, region_id)?.ok_or_else(AppError::not_found)?;
        // Inside the client's region and the admin's.
        if client_path.as_deref().is_some_and(|cp| !rules::in_scope(cp, &path)) {
            return Err(AppError::not_found());
        }
        policy::may_manage_account(&p, Some(&path))?;
        let joined = types.join(" ");
        // A new subscription starts at the head (what happens from now on), or before the
        // oldest event kept.
        let cursor = if b.from_start { 0 } else { events::head(c)? };
        let new = NewSubscription {
            client_id: client.id,
            url: &b.url,
            types: &joined,
            region: (region_id, &path),
            secret: &sealed,
            cursor,
            by: p.account_id,
        };
        let id = store::insert(c, &new, now)?;
        Entry::by(&p, "feed.subscribe", "feed_subscription", id.to_string()).region(Some(path)).write(c, now)?;
        store::get(c, id)?.ok_or_else(AppError::not_found)
    })
    .await?;
    let out = SubscriptionSecret { subscription: view(&row), secret, previous_valid_until: None };
    Ok(HttpResponse::Created().json(out))
}

/// List webhook subscriptions (admins, inside their region).
#[utoipa::path(
    tag = "feed",
    params(PageQuery),
    responses((status = 200, body = Page<SubscriptionView>), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/feed/subscriptions")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<SubscriptionView>>> {
    policy::role_allows(&p, policy::Action::Read, policy::Kind::Account)?;
    let (limit, after) = (pq.limit()?, pq.after()?);
    let scope = p.region_path.clone().unwrap_or_else(|| "/".into());
    let rows = db::read(&state.db, move |c| store::list(c, &scope, after, limit + 1)).await?;
    Ok(web::Json(page(rows.iter().map(view).collect(), limit, |s| s.id, |s| s)))
}

/// Read a webhook subscription and how its deliveries stand (admins).
#[utoipa::path(
    tag = "feed",
    responses((status = 200, body = SubscriptionView), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/feed/subscriptions/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SubscriptionView>> {
    policy::role_allows(&p, policy::Action::Read, policy::Kind::Account)?;
    let id = id.into_inner();
    let row = db::read(&state.db, move |c| managed(c, &p, id)).await?;
    Ok(web::Json(view(&row)))
}

/// What an admin does to a subscription.
enum Act {
    Resume,
    Disable,
}

async fn act(state: &AppState, p: Principal, id: i64, act: Act) -> AppResult<SubscriptionView> {
    policy::role_allows(&p, policy::Action::Write, policy::Kind::Account)?;
    let now = state.now();
    let row = db::tx(&state.db, move |c| {
        let row = managed(c, &p, id)?;
        let (status, action) = match act {
            Act::Resume if row.status == "disabled" => {
                return Err(AppError::conflict(Code::IllegalTransition, "a disabled subscription stays disabled"))
            }
            Act::Resume => ("active", "feed.resume"),
            Act::Disable => ("disabled", "feed.disable"),
        };
        store::set_status(c, id, status, now)?;
        Entry::by(&p, action, "feed_subscription", id.to_string())
            .region(Some(row.region_path.clone()))
            .write(c, now)?;
        store::get(c, id)?.ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(view(&row))
}

/// Resume a paused subscription: deliveries go on in order from the last one taken (admins).
#[utoipa::path(
    tag = "feed",
    responses((status = 200, body = SubscriptionView), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/feed/subscriptions/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SubscriptionView>> {
    Ok(web::Json(act(&state, p, id.into_inner(), Act::Resume).await?))
}

/// Disable a subscription: nothing more is delivered (admins).
#[utoipa::path(
    tag = "feed",
    responses((status = 200, body = SubscriptionView), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/feed/subscriptions/{id}/disable")]
pub async fn disable(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SubscriptionView>> {
    Ok(web::Json(act(&state, p, id.into_inner(), Act::Disable).await?))
}

/// Rotate a subscription's signing secret: the new one is shown once; deliveries carry
/// signatures under both for a day (admins).
#[utoipa::path(
    tag = "feed",
    responses((status = 200, body = SubscriptionSecret), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/feed/subscriptions/{id}/rotate-secret")]
pub async fn rotate(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SubscriptionSecret>> {
    policy::role_allows(&p, policy::Action::Write, policy::Kind::Account)?;
    let id = id.into_inner();
    let secret = fresh_secret()?;
    let sealed = state.pii.seal(SECRET_FIELD, &secret);
    let (now, until) = (state.now(), state.now() + chrono::Duration::hours(24));
    let row = db::tx(&state.db, move |c| {
        let row = managed(c, &p, id)?;
        store::rotate(c, id, &sealed, &row.secret, until)?;
        Entry::by(&p, "feed.rotate_secret", "feed_subscription", id.to_string())
            .region(Some(row.region_path.clone()))
            .write(c, now)?;
        store::get(c, id)?.ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(web::Json(SubscriptionSecret { subscription: view(&row), secret, previous_valid_until: Some(db::utc(until)) }))
}

/// The secrets a delivery is signed with now: the current one, and the previous one while it
/// is still valid.
pub fn secrets(pii: &Pii, r: &SubscriptionRow, now: chrono::NaiveDateTime) -> AppResult<Vec<String>> {
    let mut out = vec![pii.open(SECRET_FIELD, &r.secret)?];
    if let (Some(prev), Some(until)) = (&r.previous_secret, r.previous_until) {
        if until > now {
            out.push(pii.open(SECRET_FIELD, prev)?);
        }
    }
    Ok(out)
}
