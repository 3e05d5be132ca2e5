//! Routes: staff — congress staff in their region's subtree, station staff at their stations —
//! list the opinions they handle (phones masked; overdue and escalated cases on demand), read a
//! constituent's full number (audited), accept, reject with a reason, hand a case to a deputy,
//! and merge a duplicate into the case it repeats.

use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::reception::cases::case::{self, Access, CaseView};
use crate::reception::cases::rules::Action;
use crate::reception::model::OpinionView;
use crate::reception::store::handling::{self as hs, ListFilter, Owner};
use crate::reception::store::opinions as store;
use crate::state::AppState;
use actix_web::{get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpinionItem {
    #[serde(flatten)]
    pub opinion: OpinionView,
    /// `138****1234` (for those handling the case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_masked: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    pub status: Option<String>,
    /// Only forwarded cases past their deadline (red light).
    #[serde(default)]
    pub overdue: bool,
    /// Only cases reopened by an unsatisfied rating (`true`) or only the others (`false`).
    pub escalated: Option<bool>,
}

impl ListQuery {
    pub fn filter(self, now: chrono::NaiveDateTime) -> ListFilter {
        ListFilter { status: self.status, overdue_at: self.overdue.then_some(now), escalated: self.escalated }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OpinionDecision)]
pub struct Decision {
    /// Required to reject (e.g. outside the congress's remit).
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub deputy_id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The ticket of the case this one repeats.
    pub into: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(as = OpinionPhoneView)]
pub struct PhoneView {
    pub ticket: String,
    pub phone: String,
}

/// Which cases the caller handles as staff (403 for other roles).
pub fn staff_owner(p: &Principal) -> AppResult<Owner> {
    match p.role {
        Role::Admin => Ok(Owner::Region(crate::org::subtree_like(p.region_path.as_deref().unwrap_or("/")))),
        Role::StationStaff => Ok(Owner::Stations(p.stations.clone())),
        // Third-party clients read the list (phones masked, no threads) with `opinions:read`.
        Role::Client => {
            crate::auth::policy::scoped_read(p, crate::auth::policy::SCOPE_OPINIONS_READ)?;
            Ok(Owner::Region(crate::org::subtree_like(p.region_path.as_deref().unwrap_or("/"))))
        }
        _ => Err(AppError::forbidden(Code::Forbidden, "opinions are handled by congress and station staff")),
    }
}

/// Opinions I handle as staff (or read as a client with `opinions:read`), newest first; filter
/// by `status`, `overdue` or `escalated`.
#[utoipa::path(tag = "reception", params(ListQuery, PageQuery), responses((status = 200, body = Page<OpinionItem>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/opinions")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ListQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<OpinionItem>>> {
    let owner = staff_owner(&p)?;
    let client = p.role == Role::Client;
    let (before, limit, now) = (pq.after()?, pq.limit()?, state.now());
    let fl = q.into_inner().filter(now);
    let pii = state.pii.clone();
    let rows = db::run(&state.db, move |c| hs::list(c, &pii, &owner, &fl, before, limit)).await?;
    Ok(web::Json(page(
        rows,
        limit,
        |r| r.0.id,
        |(o, number)| {
            let mut opinion = crate::reception::model::view(o, None).at(now);
            if client {
                // No precise position leaves for a third party.
                (opinion.latitude, opinion.longitude) = (None, None);
            }
            OpinionItem { opinion, phone_masked: number.map(|n| crate::org::rules::mask_phone(&n)) }
        },
    )))
}

/// The constituent's full phone number, for staff handling the case; every read is audited.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = PhoneView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/opinions/{ticket}/phone")]
pub async fn phone(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
) -> AppResult<web::Json<PhoneView>> {
    let (ticket, now, pii) = (ticket.into_inner(), state.now(), state.pii.clone());
    let v = db::tx(&state.db, move |c| {
        let o = case::open_as(c, &p, &ticket, Access::Staff)?;
        // A case a deputy raised has no constituent's number.
        let (phone, _) = hs::constituent_contact(c, &pii, o.constituent_id.ok_or_else(AppError::not_found)?)?;
        crate::audit::Entry::by(&p, "opinion.phone_read", "opinion", o.ticket.clone())
            .region(Some(o.region_path.clone()))
            .write(c, now)?;
        Ok(PhoneView { ticket: o.ticket, phone })
    })
    .await?;
    Ok(web::Json(v))
}

/// Accept an opinion for handling.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
) -> AppResult<web::Json<CaseView>> {
    case::act(&state, p, ticket.into_inner(), Access::Staff, |c, p, o, now| {
        Ok(case::transition(c, o, Action::Accept, (p, Access::Staff), None, now)?.1)
    })
    .await
}

/// Reject an opinion, saying why (the constituent sees the reason).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = Decision, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<Decision>,
) -> AppResult<web::Json<CaseView>> {
    let reason = body.into_inner().reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let reason =
        reason.ok_or_else(|| AppError::invalid_field("reason", "required", "say why the opinion is rejected"))?;
    case::act(&state, p, ticket.into_inner(), Access::Staff, move |c, p, o, now| {
        Ok(case::transition(c, o, Action::Reject, (p, Access::Staff), Some(&reason), now)?.1)
    })
    .await
}

/// Hand the case to a deputy (one seated in the case's congress), who then answers it.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = AssignRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<AssignRequest>,
) -> AppResult<web::Json<CaseView>> {
    let deputy = body.deputy_id;
    case::act(&state, p, ticket.into_inner(), Access::Staff, move |c, p, o, now| {
        let seated = crate::org::deputy_region_paths(c, deputy)?.is_some_and(|ps| {
            ps.iter().any(|x| x.starts_with(&o.region_path) || o.region_path.starts_with(x.as_str()))
        });
        // And one the caller holds: a deputy outside their scope answers like a missing one.
        if !seated || !crate::org::deputies_not_held(c, p, &[deputy])?.is_empty() {
            return Err(AppError::invalid_field(
                "deputy_id",
                "out_of_scope",
                "no deputy of this case's congress has this id",
            ));
        }
        if o.constituent_id.is_none() {
            return Err(AppError::conflict(Code::IllegalTransition, "a case a deputy raised stays with that deputy"));
        }
        if !crate::reception::cases::rules::OPEN.contains(&o.status.as_str()) {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                format!("a {} opinion is not handled any more", o.status),
            ));
        }
        hs::assign_deputy(c, o.id, deputy)?;
        Ok(vec![crate::live::record(
            c,
            Some(deputy),
            None,
            "opinion_assigned",
            &serde_json::json!({"ticket": o.ticket}),
            now,
        )?])
    })
    .await
}

/// Merge a duplicate into the case it repeats: it ends as `merged`, and its constituent follows
/// the other case instead.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = MergeRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/merge")]
pub async fn merge(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<MergeRequest>,
) -> AppResult<web::Json<CaseView>> {
    let into = body.into_inner().into;
    case::act(&state, p, ticket.into_inner(), Access::Staff, move |c, p, o, now| {
        let target = store::by_ticket(c, &into)?.filter(|t| case::is_staff_of(p, t) && t.id != o.id);
        let target = target.ok_or_else(|| {
            AppError::invalid_field("into", "unknown_ticket", "no other case you handle has this ticket")
        })?;
        if !crate::reception::cases::rules::OPEN.contains(&target.status.as_str()) {
            return Err(AppError::invalid_field("into", "closed_case", "merge into a case still being handled"));
        }
        let (_, wakes) = case::transition(
            c,
            o,
            Action::Merge,
            (p, Access::Staff),
            Some(&format!("merged into {}", target.ticket)),
            now,
        )?;
        hs::set_merged(c, o.id, target.id)?;
        if let Some(k) = o.constituent_id {
            crate::reception::store::threads::follow(c, target.id, k, now)?;
        }
        Ok(wakes)
    })
    .await
}
