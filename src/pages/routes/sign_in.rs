//! Pages: signing in with a phone number and an SMS code (the privacy notice shown, consent asked
//! as the API requires), and signing out. The session lives in an HttpOnly cookie; the visitor
//! returns to the page they came from, if it is one of ours.

use crate::pages::kit::{Pages, Visit};
use crate::pages::rules;
use crate::pages::views::SignInPage;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub csrf: String,
    pub next: Option<String>,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    pub csrf: String,
    pub next: Option<String>,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub code: String,
    pub consent_version: Option<String>,
    pub consent: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

async fn form(v: Visit, next: String, phone: Option<String>, error: Option<&'static str>) -> HttpResponse {
    let notice = match v.public(Method::GET, "/api/v1/public/privacy-notice", None).await {
        Ok(r) if r.ok() => r.body,
        Ok(r) => return v.fail(crate::error::AppError::internal(format!("privacy notice: {}", r.status))),
        Err(e) => return v.fail(e),
    };
    let text = |k: &str| notice.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view =
        SignInPage {
            head: v.head("登录"), next, phone, notice: text("text"), notice_version: text("version"), error
        };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the sign-in page failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// The sign-in page: the phone number first.
#[get("/m/sign-in")]
pub async fn page(req: HttpRequest, pages: web::Data<Pages>, q: web::Query<NextQuery>) -> HttpResponse {
    let next = rules::safe_next(q.next.as_deref());
    form(pages.visit(&req), next, None, None).await
}

/// Sends a code to the number, then asks for it.
#[post("/m/sign-in/code")]
pub async fn send_code(req: HttpRequest, pages: web::Data<Pages>, f: web::Form<CodeForm>) -> HttpResponse {
    let v = pages.visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return v.forged();
    }
    let next = rules::safe_next(f.next.as_deref());
    let phone = f.phone.trim().to_string();
    match v.public(Method::POST, "/api/v1/public/auth/code", Some(&json!({ "phone": phone }))).await {
        Ok(r) if r.ok() => form(v, next, Some(phone), None).await,
        // A number that already has a code waiting may type it in.
        Ok(r) if r.code() == "rate_limited" && !phone.is_empty() => {
            form(v, next, Some(phone), Some(rules::error_text("rate_limited"))).await
        }
        Ok(r) => {
            let e = rules::error_text(r.reason());
            form(v, next, None, Some(e)).await
        }
        Err(e) => v.fail(e),
    }
}

/// Signs in with the code, then returns to the page the visitor came from.
#[post("/m/sign-in")]
pub async fn sign_in(req: HttpRequest, pages: web::Data<Pages>, f: web::Form<SignInForm>) -> HttpResponse {
    let mut v = pages.visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return v.forged();
    }
    let f = f.into_inner();
    let next = rules::safe_next(f.next.as_deref());
    let consent = f.consent.as_deref() == Some("yes");
    let body = json!({
        "phone": f.phone,
        "code": f.code.trim(),
        "consent_version": if consent { f.consent_version } else { None },
    });
    match v.public(Method::POST, "/api/v1/public/auth/sign-in", Some(&body)).await {
        Ok(r) if r.ok() => {
            v.start_session(&r.body);
            v.redirect(&next)
        }
        Ok(r) => {
            let e = rules::error_text(r.reason());
            form(v, next, Some(f.phone), Some(e)).await
        }
        Err(e) => v.fail(e),
    }
}

/// Signs out: the session is ended at the API and the cookie cleared.
#[post("/m/sign-out")]
pub async fn sign_out(req: HttpRequest, pages: web::Data<Pages>, f: web::Form<CsrfForm>) -> HttpResponse {
    let mut v = pages.visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return v.forged();
    }
    if let Err(e) = v.call(Method::POST, "/api/v1/auth/logout", None, None).await {
        tracing::warn!(error = %e, "signing out at the API failed; the cookie is cleared anyway");
    }
    v.end_session();
    v.redirect("/m/sign-in")
}
