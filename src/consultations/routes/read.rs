//! Routes: consultations listed and read — staff their congress's, deputies those that reached
//! them, contact points' staff theirs — and the public ones without signing in, with their
//! feedback reports.

use super::access::{self, Stand};
use crate::auth::policy::Action;
use crate::auth::{Principal, Role};
use crate::consultations::model::{
    ConsultationBrief, ConsultationQuery, ConsultationView, FeedbackReport, PublicQuery,
};
use crate::consultations::rules;
use crate::consultations::store::{self, answers, ConsultationRow};
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::state::AppState;
use actix_web::{get, web};
use chrono::NaiveDateTime;

const LISTED: i64 = 200;

/// A consultation as a list shows it; `answered` for a deputy's own list.
fn brief(r: ConsultationRow, answered: Option<bool>, now: NaiveDateTime) -> ConsultationBrief {
    ConsultationBrief {
        id: r.id,
        region_id: r.region_id,
        status: rules::status(&r.status, (r.opens_at, r.closes_at), r.feedback_at.is_some(), now).into(),
        opens_at: utc(r.opens_at),
        closes_at: utc(r.closes_at),
        public: r.public,
        feedback_published: r.feedback_at.is_some(),
        answered,
        title: r.title,
        kind: r.kind,
    }
}

/// Consultations: a congress's for its staff (drafts too), those that reached a deputy, those
/// of a contact point for its staff; newest first, at most 200.
#[utoipa::path(tag = "consultations", params(ConsultationQuery), responses((status = 200, body = Vec<ConsultationBrief>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/consultations")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ConsultationQuery>,
) -> AppResult<web::Json<Vec<ConsultationBrief>>> {
    let now = state.now();
    let out = db::run(&state.db, move |c| {
        let (rows, deputy) = match (p.role, p.deputy_id) {
            (Role::Deputy, Some(d)) => (store::for_deputy(c, d, LISTED)?, Some(d)),
            (Role::Admin, _) => {
                let refusal = ("region_id", "congress staff see consultations");
                let (_, path) = crate::org::staff_congress(c, &p, q.region_id, Action::Read, refusal)?;
                (store::in_scope(c, &path, LISTED)?, None)
            }
            (Role::StationStaff, _) => (store::at_points(c, &p.stations, LISTED)?, None),
            _ => {
                return Err(AppError::forbidden(Code::Forbidden, "constituents find consultations on the public list"))
            }
        };
        // Which of them the deputy answered: one query for the page, not one per row.
        let answered = match deputy {
            Some(d) => {
                Some(answers::answered_among(c, &format!("d:{d}"), &rows.iter().map(|r| r.id).collect::<Vec<_>>())?)
            }
            None => None,
        };
        Ok(rows
            .into_iter()
            .map(|r| {
                let took = answered.as_ref().map(|a| a.contains(&r.id));
                brief(r, took, now)
            })
            .collect())
    })
    .await?;
    Ok(web::Json(out))
}

/// A consultation with its articles, attachments and questionnaire; for a deputy or a
/// constituent, what they sent and the decisions on their comments.
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), responses((status = 200, body = ConsultationView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/consultations/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<ConsultationView>> {
    let (id, now) = (id.into_inner(), state.now());
    let v = db::run(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Read)?;
        access::view(c, row, stand, now)
    })
    .await?;
    Ok(web::Json(v))
}

/// The public consultations of a region's congresses and those above it, or of a station's
/// (no login).
#[utoipa::path(tag = "public", params(PublicQuery), responses((status = 200, body = Vec<ConsultationBrief>), ReadErrors))]
#[get("/api/v1/public/consultations")]
pub async fn public_list(
    state: web::Data<AppState>,
    q: web::Query<PublicQuery>,
) -> AppResult<web::Json<Vec<ConsultationBrief>>> {
    let (q, now) = (q.into_inner(), state.now());
    let out = db::run(&state.db, move |c| {
        let region = match (q.region_id, q.station.as_deref()) {
            (Some(r), _) => r,
            (None, Some(code)) if code.len() <= 64 => {
                crate::org::station_by_code(c, code)?.ok_or_else(AppError::not_found)?.region_id
            }
            _ => return Err(AppError::bad_request(Code::InvalidQuery, "name `region_id` or `station`")),
        };
        let path = crate::org::region_path(c, region)?.ok_or_else(AppError::not_found)?;
        let rows = store::public_of(c, &crate::org::rules::ancestors(&path), LISTED)?;
        Ok(rows.into_iter().map(|r| brief(r, None, now)).collect())
    })
    .await?;
    Ok(web::Json(out))
}

/// A public consultation's text and questionnaire (no login; answering needs a sign-in).
#[utoipa::path(tag = "public", params(("id" = i64, Path)), responses((status = 200, body = ConsultationView), ReadErrors))]
#[get("/api/v1/public/consultations/{id}")]
pub async fn public_get(state: web::Data<AppState>, id: web::Path<i64>) -> AppResult<web::Json<ConsultationView>> {
    let (id, now) = (id.into_inner(), state.now());
    let v = db::run(&state.db, move |c| match store::get(c, id)? {
        Some(row) if row.public && row.status != "draft" => access::view(c, row, Stand::Public, now),
        _ => Err(AppError::not_found()),
    })
    .await?;
    Ok(web::Json(v))
}

/// The feedback report (采纳情况) of a consultation once published (no login).
#[utoipa::path(tag = "public", params(("id" = i64, Path)), responses((status = 200, body = FeedbackReport), ReadErrors))]
#[get("/api/v1/public/consultations/{id}/feedback")]
pub async fn public_feedback(state: web::Data<AppState>, id: web::Path<i64>) -> AppResult<web::Json<FeedbackReport>> {
    let id = id.into_inner();
    let v = db::run(&state.db, move |c| {
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        super::feedback::report(c, &row)
    })
    .await?;
    Ok(web::Json(v))
}
