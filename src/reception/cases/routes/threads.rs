//! Routes: a case's thread and the role-aware views — `GET /api/v1/me/opinions` lists a
//! constituent's own and followed cases, a deputy's cases, a unit's queue; a single case shows
//! what the caller may see (constituents never see internal notes). Messages from the
//! constituent, the deputy, staff and the unit; internal notes for those handling the case.

use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::reception::cases::case::{self, Access, CaseView, MessageView};
use crate::reception::cases::routes::handling::{ListQuery, OpinionItem};
use crate::reception::model::view;
use crate::reception::store::handling::{self as hs, Owner};
use crate::reception::store::opinions as store;
use crate::reception::store::{intakes, media};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OpinionMessageCreate)]
pub struct MessageCreate {
    /// Plain text, at most 5,000 characters.
    pub body: String,
    /// An internal note, never shown to the constituent (not for constituents).
    #[serde(default)]
    pub internal: bool,
}

/// My cases, newest first: a constituent's own and followed opinions, a deputy's cases, a
/// handling unit's queue. Filter by `status`, `overdue` or `escalated`.
#[utoipa::path(tag = "reception", params(ListQuery, PageQuery), responses((status = 200, body = Page<OpinionItem>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/opinions")]
pub async fn mine(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ListQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<OpinionItem>>> {
    let (before, limit, now) = (pq.after()?, pq.limit()?, state.now());
    let fl = q.into_inner().filter(now);
    let (inside, pii) = (p.role != Role::Constituent, state.pii.clone());
    let (rows, me) = db::run(&state.db, move |c| {
        let owner = match (p.role, p.deputy_id, p.unit_id) {
            (Role::Deputy, Some(d), _) => Owner::Deputy(d),
            (Role::Unit, _, Some(u)) => Owner::Unit(u),
            (Role::Constituent, ..) => Owner::Constituent(
                store::constituent_of(c, p.account_id)?
                    .ok_or_else(|| AppError::forbidden(Code::Forbidden, "no constituent behind this account"))?,
            ),
            _ => return Err(AppError::forbidden(Code::Forbidden, "staff list opinions at /api/v1/opinions")),
        };
        let me = match &owner {
            Owner::Constituent(k) => Some(*k),
            _ => None,
        };
        let rows = hs::list(c, &pii, &owner, &fl, before, limit)?;
        let followed: Vec<i64> =
            rows.iter().filter(|(o, _)| me.is_some() && o.constituent_id != me).map(|(o, _)| o.id).collect();
        let public = crate::reception::store::opinions::publications(c, &followed)?;
        Ok(((rows, public), me))
    })
    .await?;
    let (rows, public) = rows;
    Ok(web::Json(page(
        rows,
        limit,
        |r| r.0.id,
        |(o, phone)| {
            // A case the constituent follows (not theirs) shows as its public summary.
            let followed = me.is_some() && o.constituent_id != me;
            let public_title = public.get(&o.id).map(|x| x.0.clone());
            let mut v = view(o, None).at(now);
            if followed {
                v = v.summary_only(public_title.as_deref());
            } else if !inside {
                v.hide_handling();
            }
            OpinionItem {
                opinion: v,
                phone_masked: phone.filter(|_| inside).map(|n| crate::org::rules::mask_phone(&n)),
            }
        },
    )))
}

async fn one_case(state: &AppState, p: Principal, ticket: String) -> AppResult<web::Json<CaseView>> {
    let (now, pii) = (state.now(), state.pii.clone());
    let (mut v, photos, texts_off) = db::run(&state.db, move |c| {
        let (o, access) = case::open(c, &p, &ticket)?;
        // Followers see neither the photos nor the texts setting of the person who filed it.
        let (photos, off) = match access {
            Access::Follower => (vec![], None),
            Access::Owner => (media::photos_of(c, o.id)?, Some(media::texts_off(c, o.id)?)),
            _ => (media::photos_of(c, o.id)?, None),
        };
        let channel = if access.inside() { intakes::channel_of(c, o.id)? } else { None };
        let mut v = case::case_view(c, &pii, o, access, now)?;
        v.channel = channel;
        Ok((v, photos, off))
    })
    .await?;
    v.photos = super::photos::links(&state.keys, &photos, state.clock.now().timestamp());
    v.texts = texts_off.map(|off| !off);
    Ok(web::Json(v))
}

/// One case with its history and thread, as the caller may see it (404 for a ticket that is not
/// theirs to see: tickets can be guessed).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = CaseView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/opinions/{ticket}")]
pub async fn one(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
) -> AppResult<web::Json<CaseView>> {
    one_case(&state, p, ticket.into_inner()).await
}

/// One of my cases (the same view as `GET /api/v1/opinions/{ticket}`).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = CaseView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/opinions/{ticket}")]
pub async fn my_one(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
) -> AppResult<web::Json<CaseView>> {
    one_case(&state, p, ticket.into_inner()).await
}

/// A case's thread, oldest first (internal notes only for those handling it).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = Vec<MessageView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/opinions/{ticket}/messages")]
pub async fn messages(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
) -> AppResult<web::Json<Vec<MessageView>>> {
    let ticket = ticket.into_inner();
    let rows = db::run(&state.db, move |c| match case::open(c, &p, &ticket)? {
        (_, Access::Follower) => Err(AppError::not_found()),
        (o, a) => crate::reception::store::threads::messages(c, o.id, a.inside()),
    })
    .await?;
    Ok(web::Json(case::message_views(rows)))
}

/// Add a message to a case's thread: the constituent and those handling it write to each other;
/// those handling it may also leave internal notes.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = MessageCreate, responses((status = 201, body = MessageView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/messages")]
pub async fn post_message(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<MessageCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let text = crate::reception::cases::routes::answering::body_text("body", &b.body)?;
    let (ticket, now) = (ticket.into_inner(), state.now());
    let (v, wakes) = db::tx(&state.db, move |c| {
        let (o, access) = case::open(c, &p, &ticket)?;
        if access == Access::Follower {
            return Err(AppError::not_found());
        }
        if b.internal && !access.inside() {
            return Err(AppError::invalid_field(
                "internal",
                "not_allowed",
                "constituents' messages go to those handling the case",
            ));
        }
        if matches!(o.status.as_str(), "withdrawn" | "merged") {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                format!("a {} opinion takes no messages", o.status),
            ));
        }
        let id = crate::reception::store::threads::add_message(
            c,
            o.id,
            p.account_id,
            access.role(),
            &text,
            b.internal,
            now,
        )?;
        let wakes = if b.internal || access == Access::Owner {
            vec![]
        } else {
            case::tell(
                c,
                &o,
                "opinion_message",
                &serde_json::json!({"ticket": o.ticket, "message_id": id, "author": access.role()}),
                now,
            )?
        };
        Ok((
            MessageView { id, author: access.role().into(), body: text, internal: b.internal, at: db::utc(now) },
            wakes,
        ))
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(HttpResponse::Created().json(v))
}
