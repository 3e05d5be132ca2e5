//! Routes: visits to a fixed contact — logged by its deputy (neither in the future nor before
//! the person's consent); the issues raised may be filed at once as an opinion case the deputy
//! collected, linked from the visit.

use super::access::{self, Stand};
use crate::auth::Principal;
use crate::contacts::model::{VisitCreate, VisitView};
use crate::contacts::rules;
use crate::contacts::store::{self, NewVisit, VisitRow};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};

fn view(r: VisitRow) -> VisitView {
    VisitView {
        id: r.0,
        contact_id: r.1,
        visit_on: r.2,
        channel: r.3,
        summary: r.4,
        issues: r.5,
        opinion_ticket: r.6,
        created_at: crate::db::utc(r.7),
    }
}

/// Log a visit to a fixed contact (its deputy; 422 `in_future` / `before_consent`; with
/// `file_opinion` the issues become an opinion case the deputy collected).
#[utoipa::path(tag = "contacts", params(("id" = i64, Path)), request_body = VisitCreate, responses((status = 201, body = VisitView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/fixed-contacts/{id}/visits")]
pub async fn log(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<VisitCreate>,
) -> AppResult<HttpResponse> {
    access::me(&p)?;
    let (b, id, now, pii) = (body.into_inner(), id.into_inner(), state.now(), state.pii.clone());
    let errs = rules::check_visit(&b.channel, &b.summary, &b.issues);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    if b.file_opinion && b.issues.trim().is_empty() {
        return Err(AppError::invalid_field("issues", "required", "the issues to file as a case"));
    }
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let day = if b.file_opinion { Some(crate::reception::prepare_raise(&state).await?) } else { None };
    let (v, wake) = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id)?;
        if stand != Stand::Owner {
            return Err(AppError::not_found());
        }
        if row.status != "active" {
            return Err(AppError::conflict(Code::IllegalTransition, "the contact has ended"));
        }
        rules::check_date(&b.visit_on, today, rules::day(&row.consent_on)).map_err(|code| {
            AppError::invalid_field("visit_on", code, "a date YYYY-MM-DD, not in the future, not before the consent")
        })?;
        let (ticket, wake) = match day {
            Some(day) => {
                let title = format!("{}（{}）反映：{}", row.community, row.name, b.issues.trim());
                let w = crate::reception::Collected {
                    region_path: &row.region_path,
                    category: b.category.as_deref().unwrap_or("other"),
                    title: &title,
                    content: b.issues.trim(),
                };
                let (t, wake) = crate::reception::collect_opinion(c, &pii, &p, &w, day, now)?;
                (Some(t), wake)
            }
            None => (None, None),
        };
        let n = NewVisit {
            contact: id,
            on: &b.visit_on,
            channel: &b.channel,
            summary: b.summary.trim(),
            issues: b.issues.trim(),
            opinion_ticket: ticket.as_deref(),
        };
        let vid = store::add_visit(c, &n, now)?;
        crate::audit::Entry::by(&p, "fixed_contact.visit", "fixed_contact", id.to_string())
            .region(Some(row.region_path))
            .write(c, now)?;
        Ok((view(store::visit(c, vid)?.ok_or_else(AppError::not_found)?), wake))
    })
    .await?;
    crate::live::announce(&state, &wake.into_iter().collect::<Vec<_>>()).await;
    Ok(HttpResponse::Created().json(v))
}

/// A fixed contact's visits, newest first (its deputy and congress staff in scope).
#[utoipa::path(tag = "contacts", params(("id" = i64, Path)), responses((status = 200, body = Vec<VisitView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/fixed-contacts/{id}/visits")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<VisitView>>> {
    let id = id.into_inner();
    let out = db::run(&state.db, move |c| {
        access::open(c, &p, id)?;
        Ok(store::visits(c, id)?.into_iter().map(view).collect())
    })
    .await?;
    Ok(web::Json(out))
}
