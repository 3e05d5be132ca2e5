//! Who is calling: the [`Principal`] extractor verifies the bearer token and carries the caller's
//! role, scope and request metadata (client IP, request id) into handlers.

use super::jwt;
use crate::error::AppError;
use crate::state::AppState;
use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    StationStaff,
    Deputy,
    Unit,
    Constituent,
    Client,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::StationStaff => "station_staff",
            Role::Deputy => "deputy",
            Role::Unit => "unit",
            Role::Constituent => "constituent",
            Role::Client => "client",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "admin" => Role::Admin,
            "station_staff" => Role::StationStaff,
            "deputy" => Role::Deputy,
            "unit" => Role::Unit,
            "constituent" => Role::Constituent,
            "client" => Role::Client,
            _ => return None,
        })
    }
}

/// Request facts kept for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// The request id set by the request-id middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl RequestMeta {
    pub fn from_request(req: &HttpRequest, trust: &crate::platform::client_ip::TrustProxy) -> Self {
        let forwarded: Vec<&str> = req.headers().get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).collect();
        let peer = req.peer_addr().map(|a| a.ip());
        let marker = req.headers().get(crate::platform::loopback::HEADER).and_then(|v| v.to_str().ok());
        // Our own pages calling the API on their visitor's behalf say who the visitor is.
        let ip = crate::platform::loopback::vouched(peer, marker, &forwarded)
            .or_else(|| crate::platform::client_ip::client_ip(peer, &forwarded, trust))
            .map(|ip| ip.to_string());
        RequestMeta { ip, request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()) }
    }
}

impl FromRequest for RequestMeta {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let meta = match req.app_data::<web::Data<AppState>>() {
            Some(s) => RequestMeta::from_request(req, &s.settings.trust_proxy),
            None => RequestMeta::from_request(req, &crate::platform::client_ip::TrustProxy::None),
        };
        std::future::ready(Ok(meta))
    }
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: i64,
    pub role: Role,
    pub region_id: Option<i64>,
    /// Materialized path of the scope region; `None` = the whole installation.
    pub region_path: Option<String>,
    pub stations: Vec<i64>,
    pub deputy_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub scopes: Vec<String>,
    pub sid: Option<String>,
    /// When the access token expires (seconds since the epoch): a stream opened with it ends then.
    pub expires_at: i64,
    pub meta: RequestMeta,
}

impl Principal {
    pub fn from_claims(c: jwt::AccessClaims, meta: RequestMeta) -> Result<Self, AppError> {
        let account_id = c.sub.parse().map_err(|_| AppError::unauthorized("invalid subject"))?;
        let role = Role::parse(&c.role).ok_or_else(|| AppError::unauthorized("invalid role"))?;
        Ok(Principal {
            account_id,
            role,
            region_id: c.rgn,
            region_path: c.rp,
            stations: c.stn,
            deputy_id: c.dep,
            unit_id: c.unit,
            scopes: c.scope.map(|s| s.split_whitespace().map(str::to_string).collect()).unwrap_or_default(),
            sid: c.sid,
            expires_at: c.exp,
            meta,
        })
    }

    /// A label for the audit log.
    pub fn label(&self) -> String {
        format!("{}:{}", self.role.as_str(), self.account_id)
    }
}

/// Access tokens already verified by this instance, so a phone's next request within the token's
/// life skips the signature check. Keyed by the whole token (nothing else can hit an entry);
/// expiry and revocation are still checked on every request.
#[derive(Clone)]
pub struct TokenCache(moka::sync::Cache<String, std::sync::Arc<jwt::AccessClaims>>);

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache(
            moka::sync::Cache::builder().max_capacity(50_000).time_to_live(std::time::Duration::from_secs(300)).build(),
        )
    }
}

impl TokenCache {
    /// Enters a token this instance has just signed (login, refresh, client credentials): the
    /// phone's first request with it then skips the signature check too — on a one-server
    /// province the common case, e.g. the app refreshing its token and checking in a moment later.
    pub fn issued(&self, token: &str, claims: &jwt::AccessClaims) {
        self.0.insert(token.to_string(), std::sync::Arc::new(claims.clone()));
    }

    fn verified(&self, state: &AppState, token: String) -> Result<std::sync::Arc<jwt::AccessClaims>, AppError> {
        let now = state.clock.now().timestamp();
        if let Some(c) = self.0.get(&token) {
            return if c.exp > now { Ok(c) } else { Err(AppError::unauthorized("token expired")) };
        }
        let s = &state.settings;
        let c = std::sync::Arc::new(
            jwt::verify(&state.keys, &token, &s.jwt_issuer, &s.jwt_audience, now).map_err(AppError::unauthorized)?,
        );
        self.0.insert(token, c.clone());
        Ok(c)
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let h = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

impl FromRequest for Principal {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        let meta = state.as_ref().map(|s| RequestMeta::from_request(req, &s.settings.trust_proxy)).unwrap_or_default();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            let token = token.ok_or_else(|| AppError::unauthorized("a bearer token is required"))?;
            let claims = state.tokens.verified(&state, token)?;
            if let Some(sid) = &claims.sid {
                // Revocation fails closed: this instance's list of ended sessions decides only
                // while it follows the announcements and the cache has not failed lately (a logout
                // meanwhile may have reached only the database); otherwise the database decides
                // (slower, but the API stays up and no ended session comes back).
                let r = &state.revocations;
                if r.ended(sid) {
                    return Err(AppError::unauthorized("the session has ended"));
                }
                let ask_db = !r.complete() || state.cache.failed_within(r.window());
                let revoked = ask_db && {
                    let sid = sid.clone();
                    crate::db::read(&state.db, move |c| crate::auth::store::session_revoked(c, &sid)).await?
                };
                if revoked {
                    return Err(AppError::unauthorized("the session has ended"));
                }
            }
            Principal::from_claims((*claims).clone(), meta)
        })
    }
}
