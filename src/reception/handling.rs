//! Routes: congress staff see the opinions of their region's subtree (the constituent's phone
//! masked) and accept or reject them, with a reason. Out of scope answers 404.

use super::opinion_rules::{self as rules, Action, Actor};
use super::opinion_store::{self as store, Event};
use super::opinions::{view, OpinionView};
use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::state::AppState;
use actix_web::{get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StaffOpinion {
    #[serde(flatten)]
    pub opinion: OpinionView,
    /// `138****1234`.
    pub phone_masked: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StaffQuery {
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Required to reject (e.g. outside the congress's remit).
    pub reason: Option<String>,
}

fn scope(p: &Principal) -> AppResult<String> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden("forbidden", "opinions are handled by congress staff"));
    }
    Ok(p.region_path.clone().unwrap_or_else(|| "/".into()))
}

/// Opinions left in my region's subtree, newest first; `status` filters.
#[utoipa::path(tag = "reception", params(StaffQuery, PageQuery), responses((status = 200, body = Page<StaffOpinion>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/opinions")]
pub async fn list(state: web::Data<AppState>, p: Principal, q: web::Query<StaffQuery>, pq: web::Query<PageQuery>) -> AppResult<web::Json<Page<StaffOpinion>>> {
    let scope = scope(&p)?;
    let (before, limit, status) = (pq.after()?, pq.limit()?, q.into_inner().status);
    let rows = db::run(&state.db, move |c| store::in_scope(c, &format!("{scope}%"), status.as_deref(), before, limit)).await?;
    Ok(web::Json(page(rows, limit, |r| r.0.id, |(o, phone)| StaffOpinion { opinion: view(o, None), phone_masked: crate::org::rules::mask_phone(&phone) })))
}

fn decide(c: &mut AnyConnection, p: &Principal, ticket: &str, action: Action, note: Option<&str>, now: chrono::NaiveDateTime) -> AppResult<OpinionView> {
    let scope = scope(p)?;
    let o = store::by_ticket(c, ticket)?.filter(|o| o.region_path.starts_with(&scope)).ok_or_else(AppError::not_found)?;
    let to = rules::next(&o.status, action, Actor::Staff).ok_or_else(|| AppError::conflict("illegal_transition", format!("not from {}", o.status)))?;
    if !store::set_status(c, o.id, &o.status, to, now)? {
        return Err(AppError::conflict("illegal_transition", "the opinion changed meanwhile"));
    }
    store::event(c, o.id, &Event { from: Some(&o.status), to, account: p.account_id, role: "staff", note }, now)?;
    let o = store::by_ticket(c, ticket)?.ok_or_else(AppError::not_found)?;
    let events = store::events(c, o.id)?;
    Ok(view(o, Some(events)))
}

/// Accept an opinion for handling.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = OpinionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/accept")]
pub async fn accept(state: web::Data<AppState>, p: Principal, ticket: web::Path<String>) -> AppResult<web::Json<OpinionView>> {
    let (ticket, now) = (ticket.into_inner(), state.now());
    Ok(web::Json(db::tx(&state.db, move |c| decide(c, &p, &ticket, Action::Accept, None, now)).await?))
}

/// Reject an opinion, saying why (the constituent sees the reason).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = Decision, responses((status = 200, body = OpinionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/reject")]
pub async fn reject(state: web::Data<AppState>, p: Principal, ticket: web::Path<String>, body: web::Json<Decision>) -> AppResult<web::Json<OpinionView>> {
    let reason = body.into_inner().reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let reason = reason.ok_or_else(|| AppError::invalid_field("reason", "required", "say why the opinion is rejected"))?;
    let (ticket, now) = (ticket.into_inner(), state.now());
    Ok(web::Json(db::tx(&state.db, move |c| decide(c, &p, &ticket, Action::Reject, Some(&reason), now)).await?))
}
