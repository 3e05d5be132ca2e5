//! Routes: a deputy drafts a suggestion and invites co-signers (deputies of the same congress),
//! each co-signer confirms or declines, the author revises, submits (numbered at the first
//! submission) and may withdraw it until it is assigned. Deputies list what they wrote or
//! co-signed, units their queue.

use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::state::AppState;
use crate::suggestions::model::{self, Stand, SuggestionView};
use crate::suggestions::rules::{self, Action, Actor};
use crate::suggestions::store::{self, NewSuggestion, Owner};
use crate::suggestions::{step, transition};
use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionCreate {
    pub title: String,
    pub content: String,
    /// economy, urban_construction, transport, education, health, social_security, environment,
    /// agriculture or other.
    pub category: String,
    /// session (during the congress session) or recess (between sessions).
    pub period: String,
    /// The congress it is filed with, one of the author's seats (default: the first seat's).
    pub region_id: Option<i64>,
    /// Deputies invited to co-sign (联名), of the same congress.
    #[serde(default)]
    pub cosigner_ids: Vec<i64>,
    /// The author agrees to publish the reply.
    #[serde(default)]
    pub publish_consent: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionRevise {
    pub title: String,
    pub content: String,
    pub category: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CosignAnswer {
    pub confirm: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatusQuery {
    pub status: Option<String>,
}

/// Draft a suggestion (deputies) and invite co-signers.
#[utoipa::path(tag = "suggestions", request_body = SuggestionCreate, responses((status = 201, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<SuggestionCreate>,
) -> AppResult<HttpResponse> {
    let author = match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) => d,
        _ => return Err(AppError::forbidden(Code::Forbidden, "suggestions are filed by deputies")),
    };
    let b = body.into_inner();
    let errs = rules::check(&b.title, &b.content, &b.category, &b.period);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    if b.cosigner_ids.len() > 50 || b.cosigner_ids.contains(&author) {
        return Err(AppError::invalid_field("cosigner_ids", "invalid_value", "at most 50 other deputies"));
    }
    let (now, keys) = (state.now(), state.keys.clone());
    let v = db::tx(&state.db, move |c| {
        let seats = crate::org::deputy_region_paths(c, author)?.unwrap_or_default();
        let path = match b.region_id {
            Some(r) => crate::org::region_path(c, r)?.filter(|x| seats.contains(x)),
            None => seats.first().cloned(),
        };
        let path = path.ok_or_else(|| {
            AppError::invalid_field("region_id", "not_seated", "the author has no seat in this congress")
        })?;
        let mut errs = vec![];
        let seats = crate::org::deputy_scopes(c, &b.cosigner_ids)?;
        for (i, d) in b.cosigner_ids.iter().enumerate() {
            if !seats.get(d).is_some_and(|ss| ss.iter().any(|s| s.path == path)) {
                errs.push(
                    FieldError::new(
                        "cosigner_ids",
                        "cosigner_out_of_scope",
                        format!("deputy {d} has no seat in this congress"),
                    )
                    .at_row(i),
                );
            }
        }
        if !errs.is_empty() {
            return Err(AppError::validation(errs));
        }
        let n = NewSuggestion {
            author,
            account: p.account_id,
            region_path: &path,
            title: b.title.trim(),
            content: &b.content,
            category: &b.category,
            period: &b.period,
            publish_consent: b.publish_consent,
        };
        let id = store::insert(c, &n, now)?;
        store::invite(c, id, &b.cosigner_ids)?;
        store::event(c, id, (None, "draft"), (p.account_id, "deputy"), None, now)?;
        crate::audit::Entry::by(&p, "suggestion.create", "suggestion", id.to_string())
            .region(Some(path))
            .write(c, now)?;
        let s = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        model::full_view(c, &keys, s, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Confirm or decline co-signing a suggestion I was invited to.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = CosignAnswer, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/cosign")]
pub async fn cosign(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<CosignAnswer>,
) -> AppResult<web::Json<SuggestionView>> {
    let confirm = body.confirm;
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Cosigner,
        "suggestion.cosign",
        move |c, p, s, _, now| {
            if !matches!(s.status.as_str(), "draft" | "returned") {
                return Err(AppError::conflict(
                    Code::IllegalTransition,
                    format!("a {} suggestion takes no more co-signers", s.status),
                ));
            }
            let d = p.deputy_id.ok_or_else(AppError::not_found)?;
            if !store::decide_cosign(c, s.id, d, if confirm { "confirmed" } else { "declined" }, now)? {
                return Err(AppError::conflict(Code::AlreadyDecided, "you already answered this invitation"));
            }
            Ok(())
        },
    )
    .await
}

/// Revise my draft or returned suggestion.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = SuggestionRevise, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/revise")]
pub async fn revise(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<SuggestionRevise>,
) -> AppResult<web::Json<SuggestionView>> {
    let b = body.into_inner();
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Author,
        "suggestion.revise",
        move |c, _, s, _, _| {
            let errs = rules::check(&b.title, &b.content, &b.category, &s.period);
            if !errs.is_empty() {
                return Err(AppError::validation(errs));
            }
            if !matches!(s.status.as_str(), "draft" | "returned") {
                return Err(AppError::conflict(
                    Code::IllegalTransition,
                    format!("a {} suggestion cannot be revised", s.status),
                ));
            }
            store::revise(c, s.id, (b.title.trim(), &b.content, &b.category))
        },
    )
    .await
}

/// Submit my suggestion (every invited co-signer must have answered: 409 `cosigners_pending`).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SuggestionView>> {
    let year = chrono::Datelike::year(&state.clock.now().with_timezone(&state.settings.tz));
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Author,
        "suggestion.submit",
        move |c, p, s, stand, now| {
            if store::cosigners(c, s.id)?.iter().any(|x| x.1 == "invited") {
                return Err(AppError::conflict(
                    Code::CosignersPending,
                    "wait until every invited co-signer has answered",
                ));
            }
            transition(c, s, rules::next(&s.status, Action::Submit, Actor::Author), (p, stand), None, now)?;
            store::set_submitted(c, s.id, &rules::number(year, s.id), now)
        },
    )
    .await
}

/// Withdraw my suggestion until it is assigned.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SuggestionView>> {
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Author,
        "suggestion.withdraw",
        |c, p, s, stand, now| {
            transition(c, s, rules::next(&s.status, Action::Withdraw, Actor::Author), (p, stand), None, now).map(|_| ())
        },
    )
    .await
}

/// One suggestion with its co-signers, units, contacts and history (author, co-signers, staff
/// in scope, assigned units; 404 for anyone else).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/suggestions/{id}")]
pub async fn one(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<SuggestionView>> {
    let (id, now, keys) = (id.into_inner(), state.now(), state.keys.clone());
    let v = db::run(&state.db, move |c| {
        let (s, _) = model::open(c, &p, id)?;
        model::full_view(c, &keys, s, now)
    })
    .await?;
    Ok(web::Json(v))
}

/// My suggestions, newest first: a deputy's own and co-signed ones, a unit's queue.
#[utoipa::path(tag = "suggestions", params(StatusQuery, PageQuery), responses((status = 200, body = Page<SuggestionView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/suggestions")]
pub async fn mine(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<StatusQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<SuggestionView>>> {
    let owner = match (p.role, p.deputy_id, p.unit_id) {
        (Role::Deputy, Some(d), _) => Owner::Deputy(d),
        (Role::Unit, _, Some(u)) => Owner::Unit(u),
        _ => return Err(AppError::forbidden(Code::Forbidden, "staff list suggestions at /api/v1/suggestions")),
    };
    list(&state, owner, q.into_inner().status, &pq).await
}

pub async fn list(
    state: &AppState,
    owner: Owner,
    status: Option<String>,
    pq: &PageQuery,
) -> AppResult<web::Json<Page<SuggestionView>>> {
    let (before, limit, now) = (pq.after()?, pq.limit()?, state.now());
    let rows = db::run(&state.db, move |c| store::list(c, &owner, status.as_deref(), before, limit)).await?;
    Ok(web::Json(page(rows, limit, |s| s.id, |s| model::view(s, now))))
}
