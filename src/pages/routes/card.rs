//! Pages: what a printed code opens — a deputy's card or a station's page — the friendly 404 for
//! every other path under `/m/`, and the pages' own style sheet and script.

use crate::pages::kit::Pages;
use crate::pages::model::{Deputy, Public, Station};
use crate::pages::rules;
use crate::pages::views::{DeputyPage, DutyLine, StationPage};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};

/// The card or station page behind a printed code.
#[get("/m/{code}")]
pub async fn code_page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let v = pages.visit(&req);
    let page = match pages.public_page(&v, &code).await {
        Ok(Some(p)) => p,
        Ok(None) => return v.not_found(),
        Err(e) => return v.fail(e),
    };
    let public: Public = match serde_json::from_value((*page).clone()) {
        Ok(p) => p,
        Err(e) => return v.fail(crate::error::AppError::internal(e)),
    };
    let tz = state.settings.tz;
    let done = match (public.deputy, public.station) {
        (Some(d), _) => deputy(v, d),
        (None, Some(s)) => station(v, s, tz),
        (None, None) => return pages.visit(&req).not_found(),
    };
    done.unwrap_or_else(|e| pages.visit(&req).fail(e))
}

fn deputy(v: crate::pages::kit::Visit, d: Deputy) -> crate::error::AppResult<HttpResponse> {
    let seats = d.seats.iter().map(|s| rules::seat_line(&s.level, &s.region, s.group.as_deref(), s.term)).collect();
    let page = DeputyPage { head: v.head(format!("{}代表", d.name)), d, seats };
    v.render(StatusCode::OK, &page)
}

fn station(v: crate::pages::kit::Visit, s: Station, tz: chrono_tz::Tz) -> crate::error::AppResult<HttpResponse> {
    let week = s
        .this_week
        .iter()
        .map(|w| DutyLine {
            when: rules::duty_when(w.starts_at, w.ends_at, tz),
            names: w.deputies.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join("、"),
        })
        .collect();
    let map = rules::map_link(s.latitude, s.longitude, &s.name);
    let page = StationPage { head: v.head(s.name.clone()), s, map, week };
    v.render(StatusCode::OK, &page)
}

/// Any other path under `/m/`: the friendly 404 page.
pub async fn unknown(req: HttpRequest, pages: web::Data<Pages>) -> HttpResponse {
    pages.visit(&req).not_found()
}

const CSS: &str = include_str!("../templates/m/m.css");
const JS: &str = include_str!("../templates/m/m.js");

fn asset(kind: &str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(kind)
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(body)
}

/// The pages' style sheet.
#[get("/m/static/m.css")]
pub async fn css() -> HttpResponse {
    asset("text/css; charset=utf-8", CSS)
}

/// The pages' script (it only improves: location, photo previews).
#[get("/m/static/m.js")]
pub async fn js() -> HttpResponse {
    asset("text/javascript; charset=utf-8", JS)
}
