//! Route: the issues raised in a liaison contact carried on — as a suggestion draft of the
//! calling deputy, or an opinion case they collected — and linked back from the contact.

use super::access::{self, Stand};
use super::contacts::view;
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::liaison::model::{ContactCarry, LiaisonContactView};
use crate::liaison::store;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};

/// Carry a contact's issues on as a suggestion draft or an opinion case (a deputy of the link;
/// 409 `already_exists` when carried already; 422 when it raised none).
#[utoipa::path(tag = "liaison", params(("id" = i64, Path), ("cid" = i64, Path)), request_body = ContactCarry, responses((status = 201, body = LiaisonContactView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/liaison-links/{id}/contacts/{cid}/carry")]
pub async fn carry(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i64)>,
    body: web::Json<ContactCarry>,
) -> AppResult<HttpResponse> {
    let ((id, cid), b, now, pii) = (path.into_inner(), body.into_inner(), state.now(), state.pii.clone());
    if !matches!(b.into.as_str(), "suggestion" | "opinion") {
        return Err(AppError::invalid_field("as", "invalid_value", "suggestion or opinion"));
    }
    let day = if b.into == "opinion" { Some(crate::reception::prepare_raise(&state).await?) } else { None };
    let (v, wake) = db::tx(&state.db, move |c| {
        let (l, stand) = access::open(c, &p, id)?;
        let me = match (stand, p.deputy_id) {
            (Stand::Deputy | Stand::Member, Some(d)) => d,
            _ => return Err(AppError::forbidden(Code::Forbidden, "a deputy of the link carries its issues on")),
        };
        let row = store::contact(c, id, cid)?.ok_or_else(AppError::not_found)?;
        if row.8.is_some() || row.9.is_some() {
            return Err(AppError::conflict(Code::AlreadyExists, "the issues were carried on already"));
        }
        if row.6.trim().is_empty() {
            return Err(AppError::invalid_field("issues", "required", "the contact raised no issues"));
        }
        let title = format!("联系代表反映：{}", row.6.trim());
        let content = format!("{}\n\n（{} 联系记录：{}）", row.6.trim(), row.3, row.5);
        let (suggestion, ticket, wake) = match day {
            None => (
                Some(crate::suggestions::draft_suggestion_for(c, (me, p.account_id), &title, &content, now)?),
                None,
                None,
            ),
            Some(day) => {
                let w = crate::reception::Collected {
                    region_path: &l.region_path,
                    category: b.category.as_deref().unwrap_or("other"),
                    title: &title,
                    content: &content,
                };
                let (t, wake) = crate::reception::collect_opinion(c, &pii, &p, &w, day, now)?;
                (None, Some(t), wake)
            }
        };
        if !store::set_carried(c, cid, (suggestion, ticket.as_deref()))? {
            return Err(AppError::conflict(Code::AlreadyExists, "the issues were carried on already"));
        }
        crate::audit::Entry::by(&p, "liaison_link.carry", "liaison_link", id.to_string())
            .region(Some(l.region_path))
            .write(c, now)?;
        let row = store::contact(c, id, cid)?.ok_or_else(AppError::not_found)?;
        Ok((view(id, row), wake))
    })
    .await?;
    crate::live::announce(&state, &wake.into_iter().collect::<Vec<_>>()).await;
    Ok(HttpResponse::Created().json(v))
}
