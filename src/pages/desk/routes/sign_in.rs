//! Desk pages: signing in with a staff account (a deputy's or constituent's account is refused
//! and its new session ended at once), signing out, and the desk's style sheet.

use super::respond::{fail, forged, not_staff};
use crate::pages::desk::views::SignInPage;
use crate::pages::kit::{Pages, Visit};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

const CSS: &str = include_str!("../../templates/desk/desk.css");

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// The desk page to go back to.
    #[serde(default)]
    pub next: String,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// Where to go after signing in: a desk page asked for, else the desk's day.
fn next_of(raw: Option<&str>) -> String {
    crate::pages::rules::safe_next_under("/desk", "/desk/", raw)
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

fn form(v: Visit, username: String, next: String, error: Option<&'static str>) -> HttpResponse {
    let status = if error.is_some() { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
    let view = SignInPage { head: v.head("登录"), username, next, error };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the desk sign-in failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// The desk's style sheet (on top of the phone pages' one).
#[get("/desk/static/desk.css")]
pub async fn css() -> HttpResponse {
    crate::pages::kit::asset("text/css; charset=utf-8", CSS)
}

/// The sign-in page (`next`: the desk page to go back to).
#[get("/desk/sign-in")]
pub async fn page(req: HttpRequest, pages: web::Data<Pages>, q: web::Query<NextQuery>) -> HttpResponse {
    form(pages.desk_visit(&req), String::new(), next_of(q.next.as_deref()), None)
}

/// Signs a staff member in, then opens the page asked for (the desk's day by default).
#[post("/desk/sign-in")]
pub async fn sign_in(req: HttpRequest, pages: web::Data<Pages>, f: web::Form<SignInForm>) -> HttpResponse {
    let mut v = pages.desk_visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return forged(v);
    }
    let f = f.into_inner();
    let body = json!({"username": f.username.trim(), "password": f.password});
    let r = match v.public(Method::POST, "/api/v1/auth/login", Some(&body)).await {
        Ok(r) => r,
        Err(e) => return fail(v, e),
    };
    if !r.ok() {
        let e = super::super::rules::error_text(r.reason());
        return form(v, f.username, next_of(Some(&f.next)), Some(e));
    }
    v.start_session(&r.body);
    let role = match v.call(Method::GET, "/api/v1/auth/me", None, None).await {
        Ok(me) => me.body.get("role").and_then(|x| x.as_str()).unwrap_or_default().to_string(),
        Err(e) => return fail(v, e),
    };
    if !matches!(role.as_str(), "station_staff" | "admin") {
        if let Err(e) = v.call(Method::POST, "/api/v1/auth/logout", None, None).await {
            tracing::warn!(error = %e, "ending a refused desk session failed");
        }
        v.end_session();
        return not_staff(v);
    }
    v.redirect(&next_of(Some(&f.next)))
}

/// Signs out: the session is ended at the API and the cookie cleared.
#[post("/desk/sign-out")]
pub async fn sign_out(req: HttpRequest, pages: web::Data<Pages>, f: web::Form<CsrfForm>) -> HttpResponse {
    let mut v = pages.desk_visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return forged(v);
    }
    if let Err(e) = v.call(Method::POST, "/api/v1/auth/logout", None, None).await {
        tracing::warn!(error = %e, "signing out at the API failed; the cookie is cleared anyway");
    }
    v.end_session();
    v.redirect("/desk/sign-in")
}
