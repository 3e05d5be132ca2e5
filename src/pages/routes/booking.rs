//! Pages: booking a reception with a deputy on duty in the next 14 days, in person or online, and
//! cancelling a booking.

use crate::pages::kit::{Pages, Visit};
use crate::pages::model::Slot;
use crate::pages::rules;
use crate::pages::views::{BookPage, Choice};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

/// The slots a code's page books from: the station's duty roster, or the deputy's duty at every
/// station, for 14 days; with the name shown.
async fn slots(pages: &Pages, v: &Visit, code: &str) -> crate::error::AppResult<Option<(String, Vec<Slot>)>> {
    let Some(p) = pages.public_page(v, code).await? else { return Ok(None) };
    let (path, to) = match (p.get("station").filter(|s| !s.is_null()), p.get("deputy").filter(|d| !d.is_null())) {
        (Some(s), _) => (
            format!("/api/v1/public/stations/{}/duty?days=14", s.get("id").and_then(Value::as_i64).unwrap_or_default()),
            s.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
        ),
        (None, Some(d)) => (
            format!("/api/v1/public/deputies/{code}/duty"),
            format!("{}代表", d.get("name").and_then(Value::as_str).unwrap_or_default()),
        ),
        _ => return Ok(None),
    };
    let r = v.public(Method::GET, &path, None).await?;
    if !r.ok() {
        return Err(crate::error::AppError::internal(format!("duty slots: {}", r.status)));
    }
    let week = r.body.get("week").cloned().unwrap_or(Value::Null);
    Ok(Some((to, serde_json::from_value(week).unwrap_or_default())))
}

fn choices(slots: Vec<Slot>, tz: chrono_tz::Tz) -> Vec<Choice> {
    slots
        .into_iter()
        .flat_map(|s| {
            let when = rules::duty_when(s.starts_at, s.ends_at, tz);
            s.deputies.into_iter().map(move |d| Choice {
                value: format!("{}:{}", s.id, d.deputy_id),
                label: format!("{when} · {}代表", d.name),
            })
        })
        .collect()
}

async fn show(
    pages: &Pages,
    v: Visit,
    tz: chrono_tz::Tz,
    code: &str,
    topic: String,
    error: Option<&'static str>,
) -> HttpResponse {
    let (to, found) = match slots(pages, &v, code).await {
        Ok(Some(x)) => x,
        Ok(None) => return v.not_found(),
        Err(e) => return v.fail(e),
    };
    let view =
        BookPage { head: v.head("预约接待"), code: code.into(), to, choices: choices(found, tz), topic, error };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the booking page failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// The booking form (sign-in first).
#[get("/m/{code}/book")]
pub async fn page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let v = pages.visit(&req);
    if !v.signed_in() {
        let here = v.here().to_string();
        return v.sign_in_first(&here);
    }
    show(&pages, v, state.settings.tz, &code, String::new(), None).await
}

#[derive(Debug, Deserialize)]
pub struct BookForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub choice: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub topic: String,
}

/// Books the chosen deputy in the chosen slot.
#[post("/m/{code}/book")]
pub async fn book(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    code: web::Path<String>,
    f: web::Form<BookForm>,
) -> HttpResponse {
    let mut v = pages.visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return v.forged();
    }
    let (code, f, tz) = (code.into_inner(), f.into_inner(), state.settings.tz);
    let Some((slot, deputy)) =
        f.choice.split_once(':').and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
    else {
        return show(&pages, v, tz, &code, f.topic, Some("请选择时段和代表。")).await;
    };
    let mode = if f.mode == "online" { "online" } else { "in_person" };
    let body = json!({ "slot_id": slot, "deputy_id": deputy, "mode": mode, "topic": f.topic });
    match v.call(Method::POST, "/api/v1/appointments", Some(&body), None).await {
        Ok(r) if r.status == 401 => v.sign_in_first(&format!("/m/{code}/book")),
        Ok(r) if r.ok() => v.redirect("/m/cases#appointments"),
        Ok(r) => {
            let e = rules::error_text(r.reason());
            show(&pages, v, tz, &code, f.topic, Some(e)).await
        }
        Err(e) => v.fail(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    pub csrf: String,
}

/// Cancels one of my appointments.
#[post("/m/appointments/{id}/cancel")]
pub async fn cancel(
    req: HttpRequest,
    pages: web::Data<Pages>,
    id: web::Path<i64>,
    f: web::Form<CancelForm>,
) -> HttpResponse {
    let mut v = pages.visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return v.forged();
    }
    match v.call(Method::POST, &format!("/api/v1/appointments/{id}/cancel"), Some(&json!({})), None).await {
        Ok(r) if r.status == 401 => v.sign_in_first("/m/cases"),
        Ok(r) if r.status == 404 => v.not_found(),
        Ok(_) => v.redirect("/m/cases#appointments"),
        Err(e) => v.fail(e),
    }
}
