//! Routes for following a published notice: its recipients with their receipts and RSVPs, reminding
//! the ones who have not read it, and deciding a deputy's leave request.

use super::drafts::load_for;
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::notices::model::{LeaveDecision, Recipient, RecipientQuery, Reminded};
use crate::notices::store::{self};
use crate::state::AppState;
use actix_web::{get, post, web};

/// The deputies a notice reached, with their read receipts and RSVPs; `filter=unread`,
/// `unanswered` or `leave_pending` for the ones to chase.
#[utoipa::path(tag = "notices", params(("id" = i64, Path), RecipientQuery, PageQuery), responses((status = 200, body = Page<Recipient>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/notices/{id}/recipients")]
pub async fn recipients(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<RecipientQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<Recipient>>> {
    let (id, filter, after, limit) = (id.into_inner(), q.into_inner().filter, pq.after()?, pq.limit()?);
    if filter.as_deref().is_some_and(|f| !matches!(f, "unread" | "unanswered" | "leave_pending")) {
        return Err(AppError::invalid_field("filter", "invalid_value", "unread, unanswered or leave_pending"));
    }
    let rows = db::run(&state.db, move |c| {
        load_for(c, &p, id)?;
        let rows = store::recipients(c, id, filter.as_deref(), after, limit)?;
        // The names of the page's deputies, in one read through the directory.
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let names: std::collections::HashMap<i64, String> = crate::org::deputy_names(c, &ids)?.into_iter().collect();
        Ok(rows.into_iter().map(|(d, s)| (d, names.get(&d).cloned().unwrap_or_default(), s)).collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(page(
        rows,
        limit,
        |r| r.0,
        |(deputy_id, name, s)| Recipient { deputy_id, name, read_at: s.0.map(utc), rsvp: s.1, leave_status: s.4 },
    )))
}

/// Push the notice again to the deputies who have not read it (only them), as a new send.
#[utoipa::path(tag = "notices", params(("id" = i64, Path)), responses((status = 200, body = Reminded), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/remind")]
pub async fn remind(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<Reminded>> {
    let (id, now, tz, quiet) = (id.into_inner(), state.now(), state.settings.tz, state.settings.quiet_hours);
    let v = db::tx(&state.db, move |c| {
        let n = load_for(c, &p, id)?;
        if n.status != "published" {
            return Err(AppError::conflict(Code::NotPublished, format!("the notice is {}", n.status)));
        }
        let unread = store::unread_deputies(c, id)?;
        let round = store::next_round(c, id)?;
        let timing = crate::push::Timing { now, urgent: n.priority == "urgent", tz, quiet };
        let pushes = crate::push::enqueue(c, &crate::notices::headline(&n), &unread, round, &timing)?;
        Entry::by(&p, "notice.remind", "notice", id.to_string())
            .region(Some(n.region_path))
            .detail(format!("deputies={}", unread.len()))
            .write(c, now)?;
        Ok(Reminded { deputies: unread.len(), pushes })
    })
    .await?;
    Ok(web::Json(v))
}

/// Approve or refuse a deputy's leave; approved leave excuses them from the linked meeting.
#[utoipa::path(tag = "notices", params(("id" = i64, Path), ("deputy_id" = i64, Path)), request_body = LeaveDecision, responses((status = 200, body = Recipient), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/notices/{id}/leaves/{deputy_id}")]
pub async fn decide_leave(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i64)>,
    body: web::Json<LeaveDecision>,
) -> AppResult<web::Json<Recipient>> {
    let ((id, deputy), approve, now) = (path.into_inner(), body.into_inner().approve, state.now());
    let v = db::tx(&state.db, move |c| {
        let n = load_for(c, &p, id)?;
        if !store::decide_leave(c, id, deputy, if approve { "approved" } else { "rejected" })? {
            return Err(AppError::conflict(Code::NoPendingLeave, "this deputy has no leave waiting for a decision"));
        }
        if let (true, Some(event)) = (approve, n.event_id) {
            crate::checkins::excuse_absence(c, event, deputy, now)?;
        }
        let data = serde_json::json!({"notice_id": id, "approved": approve});
        let wake = crate::live::record(c, Some(deputy), Some(id), "leave_decided", &data, now)?;
        Entry::by(&p, "notice.leave", "notice", id.to_string())
            .region(Some(n.region_path))
            .detail(format!("deputy={deputy} approve={approve}"))
            .write(c, now)?;
        let (deputy_id, s) = store::recipient(c, id, deputy)?.ok_or_else(AppError::not_found)?;
        let name = crate::org::deputy_names(c, &[deputy_id])?.into_iter().next().map(|x| x.1).unwrap_or_default();
        Ok((Recipient { deputy_id, name, read_at: s.0.map(utc), rsvp: s.1, leave_status: s.4 }, wake))
    })
    .await?;
    crate::live::announce(&state, &[v.1]).await;
    Ok(web::Json(v.0))
}
