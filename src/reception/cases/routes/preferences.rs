//! Routes: what a constituent chooses about a case — its texts on or off (the person who filed
//! it), and no longer following it (a follower).

use super::opinions::constituent;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, WriteErrors};
use crate::reception::cases::case::{self, Access};
use crate::reception::store::{media, opinions as store, threads};
use crate::state::AppState;
use actix_web::{delete, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextsSetting {
    /// Whether the case's milestones are texted to me (on unless turned off).
    pub enabled: bool,
}

/// Turn the texts about my case off or on (the person who filed it).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = TextsSetting, responses((status = 200, body = TextsSetting), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/me/opinions/{ticket}/texts")]
pub async fn texts(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<TextsSetting>,
) -> AppResult<web::Json<TextsSetting>> {
    let (ticket, on, now) = (ticket.into_inner(), body.enabled, state.now());
    db::tx(&state.db, move |c| {
        let o = case::open_as(c, &p, &ticket, Access::Owner)?;
        media::set_texts(c, o.id, on, now)
    })
    .await?;
    Ok(web::Json(TextsSetting { enabled: on }))
}

/// Stop following a case (404 when I do not follow it).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 204, description = "no longer followed"), WriteErrors), security(("bearer" = [])))]
#[delete("/api/v1/opinions/{ticket}/follow")]
pub async fn unfollow(state: web::Data<AppState>, p: Principal, ticket: web::Path<String>) -> AppResult<HttpResponse> {
    let ticket = ticket.into_inner();
    db::tx(&state.db, move |c| {
        let me = constituent(c, &p)?;
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        if !threads::unfollow(c, o.id, me)? {
            return Err(AppError::not_found());
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
