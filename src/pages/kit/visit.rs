//! One visit to a page: the visitor's session cookie (access and refresh token, refreshed when
//! the access token has run out), the CSRF cookie every form post must echo, the CSP nonce of the
//! answer, and the answer itself with the headers every page carries (a strict
//! Content-Security-Policy, no framing, no caching of personal pages).

use super::api::{Api, Call, Reply};
use crate::error::{AppError, AppResult};
use crate::pages::rules;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use reqwest::Method;
use serde_json::{json, Value};

/// Which pages a visit belongs to: each area keeps its own session and CSRF cookies under its
/// own path, so a constituent's phone session never opens the station desk (nor the reverse).
pub struct Area {
    pub session: &'static str,
    pub csrf: &'static str,
    pub path: &'static str,
    pub sign_in: &'static str,
}

/// The constituents' phone pages.
pub const PHONE: Area = Area { session: "m_session", csrf: "m_csrf", path: "/m", sign_in: "/m/sign-in" };
/// The station desk.
pub const DESK: Area = Area { session: "d_session", csrf: "d_csrf", path: "/desk", sign_in: "/desk/sign-in" };

/// What every page template shows around its content.
pub struct Head {
    pub title: String,
    pub nonce: String,
    pub csrf: String,
    pub signed_in: bool,
    /// The current page (where sign-in returns to).
    pub here: String,
}

/// A random token (CSRF cookie, CSP nonce, form key): 32 hex digits.
pub fn token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

pub struct Visit {
    area: &'static Area,
    api: Api,
    ip: Option<String>,
    access: Option<String>,
    refresh: Option<String>,
    csrf: String,
    new_csrf: bool,
    nonce: String,
    /// A new session cookie (Some(None): clear it).
    set_session: Option<Option<String>>,
    secure: bool,
    here: String,
}

impl Visit {
    pub fn new(req: &HttpRequest, api: &Api, public_base: Option<&str>) -> Visit {
        Self::in_area(&PHONE, req, api, public_base)
    }

    pub fn in_area(area: &'static Area, req: &HttpRequest, api: &Api, public_base: Option<&str>) -> Visit {
        let meta = crate::auth::RequestMeta::from_request(
            req,
            &req.app_data::<actix_web::web::Data<crate::state::AppState>>()
                .map(|s| s.settings.trust_proxy.clone())
                .unwrap_or_default(),
        );
        let (access, refresh) = match req.cookie(area.session) {
            Some(c) => match c.value().split_once('~') {
                Some((a, r)) if !a.is_empty() && !r.is_empty() => (Some(a.to_string()), Some(r.to_string())),
                _ => (None, None),
            },
            None => (None, None),
        };
        let existing = req.cookie(area.csrf).map(|c| c.value().to_string()).filter(|v| rules::well_formed_token(v));
        let new_csrf = existing.is_none();
        let secure =
            public_base.is_some_and(|b| b.starts_with("https://")) || req.connection_info().scheme() == "https";
        Visit {
            area,
            api: api.clone(),
            ip: meta.ip,
            access,
            refresh,
            csrf: existing.unwrap_or_else(token),
            new_csrf,
            nonce: token(),
            set_session: None,
            secure,
            here: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| format!("{}/", area.path)),
        }
    }

    pub fn signed_in(&self) -> bool {
        self.access.is_some()
    }

    pub fn here(&self) -> &str {
        &self.here
    }

    pub fn head(&self, title: impl Into<String>) -> Head {
        Head {
            title: title.into(),
            nonce: self.nonce.clone(),
            csrf: self.csrf.clone(),
            signed_in: self.signed_in(),
            here: self.here.clone(),
        }
    }

    /// A form post is ours only when it echoes the CSRF cookie (the page answers 403 otherwise,
    /// and does nothing).
    pub fn csrf_ok(&self, sent: &str) -> bool {
        !self.new_csrf && rules::same_token(&self.csrf, sent)
    }

    /// A call without the visitor's session (public routes, signing in).
    pub async fn public(&self, method: Method, path: &str, json: Option<&Value>) -> AppResult<Reply> {
        let call = Call { method, path, token: None, json, header: None };
        self.api.call(self.ip.as_deref(), call).await
    }

    /// A call as the signed-in visitor; an expired access token is refreshed once (the new pair
    /// goes out in the answer's cookie). Without a session: a 401 reply.
    pub async fn call(
        &mut self,
        method: Method,
        path: &str,
        json: Option<&Value>,
        key: Option<&str>,
    ) -> AppResult<Reply> {
        self.call_with(method, path, json, key.map(|k| ("idempotency-key", k))).await
    }

    /// As [`Visit::call`], with one extra header (`if-match`, `idempotency-key`).
    pub async fn call_with(
        &mut self,
        method: Method,
        path: &str,
        json: Option<&Value>,
        header: Option<(&'static str, &str)>,
    ) -> AppResult<Reply> {
        let Some(token) = self.access.clone() else {
            return Ok(Reply { status: 401, body: Value::Null });
        };
        let call = Call { method: method.clone(), path, token: Some(&token), json, header };
        let first = self.api.call(self.ip.as_deref(), call).await?;
        if first.status != 401 || !self.refreshed().await? {
            return Ok(first);
        }
        let token = self.access.clone().unwrap_or_default();
        let call = Call { method, path, token: Some(&token), json, header };
        self.api.call(self.ip.as_deref(), call).await
    }

    /// Uploads one photo as the visitor.
    pub async fn upload(&mut self, path: &str, name: String, bytes: bytes::Bytes) -> AppResult<Reply> {
        let Some(token) = self.access.clone() else {
            return Ok(Reply { status: 401, body: Value::Null });
        };
        let first = self.api.upload(self.ip.as_deref(), path, &token, name.clone(), bytes.clone()).await?;
        if first.status != 401 || !self.refreshed().await? {
            return Ok(first);
        }
        let token = self.access.clone().unwrap_or_default();
        self.api.upload(self.ip.as_deref(), path, &token, name, bytes).await
    }

    async fn refreshed(&mut self) -> AppResult<bool> {
        let Some(refresh) = self.refresh.clone() else { return Ok(false) };
        let body = json!({ "refresh_token": refresh });
        let r = self.public(Method::POST, "/api/v1/auth/refresh", Some(&body)).await?;
        if r.ok() {
            self.start_session(&r.body);
            return Ok(true);
        }
        self.end_session();
        Ok(false)
    }

    /// Keeps the tokens of a sign-in or refresh answer in the session cookie.
    pub fn start_session(&mut self, tokens: &Value) {
        let access = tokens.get("access_token").and_then(Value::as_str).unwrap_or_default();
        let refresh = tokens.get("refresh_token").and_then(Value::as_str).unwrap_or_default();
        if access.is_empty() || refresh.is_empty() {
            return self.end_session();
        }
        self.access = Some(access.into());
        self.refresh = Some(refresh.into());
        self.set_session = Some(Some(format!("{access}~{refresh}")));
    }

    pub fn end_session(&mut self) {
        self.access = None;
        self.refresh = None;
        self.set_session = Some(None);
    }

    fn cookie(&self, name: &'static str, value: String, age: actix_web::cookie::time::Duration) -> Cookie<'static> {
        Cookie::build(name, value)
            .path(self.area.path)
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .max_age(age)
            .finish()
    }

    fn finish(self, mut b: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
        use actix_web::cookie::time::Duration;
        if self.new_csrf {
            b.cookie(self.cookie(self.area.csrf, self.csrf.clone(), Duration::days(30)));
        }
        match &self.set_session {
            Some(Some(v)) => b.cookie(self.cookie(self.area.session, v.clone(), Duration::days(30))),
            Some(None) => b.cookie(self.cookie(self.area.session, String::new(), Duration::ZERO)),
            None => &mut b,
        };
        b.insert_header(("Cache-Control", "no-store"))
            .insert_header(("X-Frame-Options", "DENY"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Referrer-Policy", "same-origin"))
            .insert_header(("Content-Security-Policy", rules::csp(&self.nonce)));
        b
    }

    /// The page with `status`.
    pub fn page(self, status: StatusCode, html: String) -> HttpResponse {
        self.finish(HttpResponse::build(status)).content_type("text/html; charset=utf-8").body(html)
    }

    /// Renders a template as the page.
    pub fn render<T: askama::Template>(self, status: StatusCode, t: &T) -> AppResult<HttpResponse> {
        let html = t.render().map_err(AppError::internal)?;
        Ok(self.page(status, html))
    }

    /// 303 to `to` (a path of ours).
    pub fn redirect(self, to: &str) -> HttpResponse {
        self.finish(HttpResponse::SeeOther()).insert_header(("Location", to.to_string())).finish()
    }

    /// To the sign-in page, coming back to `next` afterwards.
    pub fn sign_in_first(self, next: &str) -> HttpResponse {
        let next = if self.area.path == PHONE.path {
            rules::safe_next(Some(next))
        } else {
            rules::safe_next_under(self.area.path, &format!("{}/", self.area.path), Some(next))
        };
        let to = format!("{}?next={}", self.area.sign_in, rules::url_encode(&next));
        self.redirect(&to)
    }
}

impl Visit {
    /// A page that only says something, with `status`.
    pub fn message(self, status: StatusCode, heading: &str, text: &str) -> HttpResponse {
        let page =
            crate::pages::views::MessagePage { head: self.head(heading), heading: heading.into(), text: text.into() };
        match askama::Template::render(&page) {
            Ok(html) => self.page(status, html),
            Err(e) => {
                tracing::error!(error = %e, "rendering a message page failed");
                HttpResponse::InternalServerError().finish()
            }
        }
    }

    /// The friendly 404 page (also for what exists but is not the visitor's).
    pub fn not_found(self) -> HttpResponse {
        self.message(
            StatusCode::NOT_FOUND,
            "没有找到这个页面",
            "二维码或链接可能已失效。请核对后重试，或到就近的代表联络站咨询。",
        )
    }

    /// The 403 page of a form post without our CSRF token (nothing was done).
    pub fn forged(self) -> HttpResponse {
        self.message(StatusCode::FORBIDDEN, "页面已过期", "请返回上一页，刷新后重新提交。")
    }

    /// An error the page cannot recover from: logged when internal, shown in plain words.
    pub fn fail(self, err: AppError) -> HttpResponse {
        use actix_web::ResponseError;
        let status = err.status_code();
        if status.is_server_error() {
            tracing::error!(error = %err, "a page failed");
            return self.message(status, "系统繁忙", "请稍后再试。");
        }
        self.message(status, "无法完成操作", rules::error_text(err.code.as_str()))
    }
}
