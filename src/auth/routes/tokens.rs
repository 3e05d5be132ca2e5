//! Token routes: login, refresh, logout, me, the client-credentials grant and the JWKS.

use crate::auth::model::{AccountView, ClientTokenForm, LoginRequest, RefreshRequest, TokenResponse};
use crate::auth::{session, Principal, RequestMeta};
use crate::error::{AppError, AppResult, Code, Problem};
use crate::platform::ratelimit;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use base64::Engine;

async fn limit_ip(state: &AppState, meta: &RequestMeta, what: &str) -> AppResult<()> {
    let ip = meta.ip.as_deref().unwrap_or("unknown");
    ratelimit::hit(&state.cache, &state.clock, &format!("{what}:{ip}"), state.settings.login_rate_per_minute, 60).await
}

/// Sign in with a username (or phone number) and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse, description = "access and refresh tokens"),
        (status = 400, body = Problem, description = "malformed JSON or unknown field"),
        (status = 401, body = Problem, description = "`invalid_credentials`"),
        (status = 403, body = Problem, description = "`account_disabled`"),
        (status = 413, body = Problem, description = "body too large"),
        (status = 415, body = Problem, description = "not JSON"),
        (status = 422, body = Problem, description = "missing field"),
        (status = 429, body = Problem, description = "`rate_limited`: per client address, and after 5 wrong passwords for one name from one address (15 minutes)")
    )
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<LoginRequest>,
) -> AppResult<web::Json<TokenResponse>> {
    limit_ip(&state, &meta, "login").await?;
    let LoginRequest { username, password } = body.into_inner();
    let acct = session::authenticate(&state, &meta, username.trim().to_string(), password).await?;
    if acct.role == "client" {
        return Err(AppError::invalid_credentials());
    }
    Ok(web::Json(session::open(&state, &meta, acct).await?))
}

/// Exchange a refresh token for new tokens (the old one is used up; reusing it revokes the session).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, body = Problem, description = "malformed JSON or unknown field"),
        (status = 401, body = Problem, description = "`invalid_refresh_token`, or `refresh_token_reused` (the whole session is revoked)"),
        (status = 422, body = Problem, description = "`validation_failed`: an empty refresh token"),
        (status = 429, body = Problem, description = "`rate_limited`")
    )
)]
#[post("/api/v1/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<RefreshRequest>,
) -> AppResult<web::Json<TokenResponse>> {
    limit_ip(&state, &meta, "refresh").await?;
    Ok(web::Json(session::refresh(&state, &meta, body.into_inner().refresh_token).await?))
}

/// End the session: its refresh tokens are revoked and its access tokens refused from now on.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "signed out"), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
#[post("/api/v1/auth/logout")]
pub async fn logout(state: web::Data<AppState>, p: Principal) -> AppResult<HttpResponse> {
    session::logout(&state, &p).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in account.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, body = AccountView), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
#[get("/api/v1/auth/me")]
pub async fn me(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<AccountView>> {
    Ok(web::Json(super::accounts::view(&state, p.account_id).await?))
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = h.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()?;
    let (id, secret) = std::str::from_utf8(&raw).ok()?.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// OAuth 2.0 client-credentials grant for third-party clients (form-encoded; HTTP Basic accepted).
#[utoipa::path(
    tag = "auth",
    request_body(content = ClientTokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, body = TokenResponse, description = "an access token carrying the granted scopes"),
        (status = 400, body = Problem, description = "`unsupported_grant_type`, `invalid_scope` or `invalid_request`"),
        (status = 401, body = Problem, description = "`invalid_client`"),
        (status = 429, body = Problem, description = "`rate_limited`")
    )
)]
#[post("/api/v1/auth/token")]
pub async fn token(
    state: web::Data<AppState>,
    meta: RequestMeta,
    req: HttpRequest,
    form: web::Form<ClientTokenForm>,
) -> AppResult<web::Json<TokenResponse>> {
    limit_ip(&state, &meta, "token").await?;
    let f = form.into_inner();
    if f.grant_type != "client_credentials" {
        return Err(AppError::bad_request(
            Code::UnsupportedGrantType,
            "only grant_type=client_credentials is supported",
        ));
    }
    let (id, secret) = match (basic_credentials(&req), f.client_id, f.client_secret) {
        (Some(c), _, _) => c,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(AppError::bad_request(Code::InvalidRequest, "client_id and client_secret are required")),
    };
    Ok(web::Json(session::client_token(&state, &meta, id, secret, f.scope).await?))
}

/// Public keys that verify access tokens (JWKS).
#[utoipa::path(tag = "auth", responses((status = 200, description = "JSON Web Key Set", body = Object)))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header(("Cache-Control", "public, max-age=300")).json(&state.keys.jwks)
}
