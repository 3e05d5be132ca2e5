//! Desk page: the screen shown at a duty report's session — the QR code of the rating page with
//! the session's rotating token, swapped for a fresh one every 20 seconds by its script.

use super::respond::{fail, refused, staff};
use crate::pages::desk::views::SessionPage;
use crate::pages::kit::Pages;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde_json::Value;

const JS: &str = include_str!("../../templates/desk/session.js");

/// The session screen's script (fetches the page again and swaps the QR code in place).
#[get("/desk/static/session.js")]
pub async fn script() -> HttpResponse {
    crate::pages::kit::asset("text/javascript; charset=utf-8", JS)
}

/// The session's screen.
#[get("/desk/duty-reports/{id}/session")]
pub async fn screen(req: HttpRequest, pages: web::Data<Pages>, id: web::Path<i64>) -> HttpResponse {
    let (mut v, _) = match staff(pages.desk_visit(&req)).await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let r = match v
        .call(Method::GET, &format!("/api/v1/duty-reports/{}/session-code", id.into_inner()), None, None)
        .await
    {
        Ok(r) if r.ok() => r,
        Ok(r) => return refused(v, r.status, r.reason()),
        Err(e) => return fail(v, e),
    };
    let svg = r.body.get("svg").and_then(Value::as_str).unwrap_or_default().to_string();
    let view = SessionPage { head: v.head("述职评议"), svg };
    v.render(StatusCode::OK, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the session screen failed");
        HttpResponse::InternalServerError().finish()
    })
}
