//! Route: the code shown at a report's session — a QR code of the phone page where those present
//! rate the report, carrying the session's rotating token (staff keeping the report).

use super::scope::kept;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::state::AppState;
use actix_web::{get, web, HttpRequest};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionCode {
    /// The phone page where those present rate the report (the token included).
    pub url: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
    /// The URL as a QR code (SVG), to show on a screen at the session.
    pub svg: String,
}

/// The code to show at the report's session: a QR code of the rating page with the session's
/// current rotating token (staff in scope; 409 `review_closed` before approval).
#[utoipa::path(tag = "duty-reports", params(("id" = i64, Path)), responses((status = 200, body = SessionCode), (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "review_closed: no session yet"), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/duty-reports/{id}/session-code")]
pub async fn code(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
) -> AppResult<web::Json<SessionCode>> {
    let id = id.into_inner();
    let base = crate::http::public_base(state.settings.public_base_url.as_deref(), &req);
    let now = state.clock.now();
    let (token, expires) = db::tx(&state.db, move |c| {
        let r = kept(c, &p, id)?;
        let event = r
            .event_id
            .filter(|_| matches!(r.status.as_str(), "approved" | "delivered"))
            .ok_or_else(|| AppError::conflict(Code::ReviewClosed, "the report has no session yet"))?;
        crate::checkins::event_code(c, event, now)
    })
    .await?;
    let url = format!("{base}/m/duty-reports/{id}/rate?t={token}");
    Ok(web::Json(SessionCode {
        svg: crate::checkins::qr_svg(&url),
        url,
        token,
        expires_at: DateTime::from_timestamp(expires, 0).unwrap_or(now),
    }))
}
