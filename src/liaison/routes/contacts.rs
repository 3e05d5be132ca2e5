//! Routes: the contacts of a link — logged by either side (the member, or the linked deputy /
//! a deputy of the linked group), dated neither in the future nor before the term; read by both
//! sides and the congress's staff.

use super::access::{self, Stand};
use crate::audit::Entry;
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::liaison::model::{LiaisonContactCreate, LiaisonContactView};
use crate::liaison::rules::{self, CHANNELS, MAX_TEXT};
use crate::liaison::store::{self, LinkRow, NewContact};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;

fn check(b: &LiaisonContactCreate) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> =
        crate::org::rules::required_text("summary", &b.summary, MAX_TEXT).into_iter().collect();
    if b.issues.chars().count() > MAX_TEXT {
        errs.push(FieldError::new("issues", "too_long", "at most 2,000 characters"));
    }
    if [&b.summary, &b.issues, &b.contact_on, &b.channel].iter().any(|t| t.contains('\0')) {
        errs.push(FieldError::new("summary", "invalid_value", "no NUL characters"));
    }
    if !CHANNELS.contains(&b.channel.as_str()) {
        errs.push(FieldError::new("channel", "invalid_value", "visit, phone, meeting or online"));
    }
    errs
}

/// The term's first day: January 1 of the congress's duty-report year less four, else the day
/// the link was made.
fn term_start(c: &mut AnyConnection, l: &LinkRow, tz: chrono_tz::Tz) -> AppResult<NaiveDate> {
    let made = crate::db::utc(l.created_at).with_timezone(&tz).date_naive();
    Ok(match crate::ledger::duty_report_due_year(c, &l.region_path)? {
        Some(y) => NaiveDate::from_ymd_opt(y - 4, 1, 1).unwrap_or(made),
        None => made,
    })
}

/// Log a contact on a link (its member or its linked deputy; 422 for a date in the future or
/// before the term; 409 `illegal_transition` on an ended link).
#[utoipa::path(tag = "liaison", params(("id" = i64, Path)), request_body = LiaisonContactCreate, responses((status = 201, body = LiaisonContactView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/liaison-links/{id}/contacts")]
pub async fn log(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<LiaisonContactCreate>,
) -> AppResult<HttpResponse> {
    let (b, id, now, tz) = (body.into_inner(), id.into_inner(), state.now(), state.settings.tz);
    let errs = check(&b);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let v = db::tx(&state.db, move |c| {
        let (l, s) = access::open(c, &p, id)?;
        let side = match s {
            Stand::Member => "member",
            Stand::Deputy => "deputy",
            Stand::Staff => {
                return Err(AppError::forbidden(Code::Forbidden, "the two sides of a link log its contacts"))
            }
        };
        if l.status != "active" {
            return Err(AppError::conflict(Code::IllegalTransition, "the link has ended"));
        }
        rules::check_date(&b.contact_on, today, term_start(c, &l, tz)?).map_err(|code| {
            AppError::invalid_field("contact_on", code, "a date YYYY-MM-DD, not in the future, not before the term")
        })?;
        let deputy = match (side, l.deputy_id, l.group_id) {
            ("deputy", ..) => p.deputy_id,
            (_, Some(d), _) => Some(d),
            (_, None, Some(g)) => match b.deputy_id {
                Some(d) if crate::org::group_members(c, g)?.contains(&d) => Some(d),
                _ => return Err(AppError::invalid_field("deputy_id", "required", "the deputy of the group contacted")),
            },
            _ => None,
        };
        let n = NewContact {
            link: id,
            side,
            deputy,
            on: &b.contact_on,
            channel: &b.channel,
            summary: b.summary.trim(),
            issues: b.issues.trim(),
            by: p.account_id,
        };
        let cid = store::add_contact(c, &n, now)?;
        Entry::by(&p, "liaison_link.contact", "liaison_link", id.to_string())
            .region(Some(l.region_path))
            .write(c, now)?;
        let row = store::contact(c, id, cid)?.ok_or_else(AppError::not_found)?;
        Ok(view(id, row))
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

pub fn view(link: i64, r: store::ContactRow) -> LiaisonContactView {
    LiaisonContactView {
        id: r.0,
        link_id: link,
        side: r.1,
        deputy_id: r.2,
        contact_on: r.3,
        channel: r.4,
        summary: r.5,
        issues: r.6,
        created_at: crate::db::utc(r.7),
        suggestion_id: r.8,
        opinion_ticket: r.9,
    }
}

/// A link's contacts, newest first (its two sides and the congress's staff).
#[utoipa::path(tag = "liaison", params(("id" = i64, Path)), responses((status = 200, body = Vec<LiaisonContactView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/liaison-links/{id}/contacts")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<LiaisonContactView>>> {
    let id = id.into_inner();
    let out = db::run(&state.db, move |c| {
        access::open(c, &p, id)?;
        Ok(store::contacts(c, id)?.into_iter().map(|r| view(id, r)).collect())
    })
    .await?;
    Ok(web::Json(out))
}
