//! Activity records: what came of a reception or an activity — constituents received, opinions
//! collected, a summary and photos — written by the deputy or by station staff. They feed the
//! station statistics and the deputy's duty archive.

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Target};
use crate::auth::{Principal, Role};
use crate::checkins::store as checkin_store;
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityCreate {
    /// The check-in this record belongs to (its deputy, station and event are taken from it).
    pub checkin_id: i64,
    pub constituents_received: i32,
    pub opinions_collected: i32,
    pub summary: String,
    #[serde(default)]
    pub photo_urls: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ActivityView {
    pub id: i64,
    pub deputy_id: i64,
    pub checkin_id: Option<i64>,
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    pub constituents_received: i32,
    pub opinions_collected: i32,
    pub summary: String,
    pub photo_urls: Vec<String>,
    pub occurred_at: DateTime<Utc>,
}

use crate::checkins::store::activity::{self as records, NewRecord, Row};

fn view(r: Row) -> ActivityView {
    ActivityView {
        id: r.0,
        deputy_id: r.1,
        checkin_id: r.2,
        event_id: r.3,
        station_id: r.4,
        constituents_received: r.5,
        opinions_collected: r.6,
        summary: r.7,
        photo_urls: serde_json::from_str(&r.8).unwrap_or_default(),
        occurred_at: utc(r.9),
    }
}

/// Record what came of a reception or activity (the deputy of the check-in, or staff of its station).
#[utoipa::path(tag = "checkins", request_body = ActivityCreate, responses((status = 201, body = ActivityView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/activity-records")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<ActivityCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    let mut errs = vec![];
    if !(0..=10_000).contains(&b.constituents_received) {
        errs.push(FieldError::new("constituents_received", "out_of_range", "0–10000"));
    }
    if !(0..=10_000).contains(&b.opinions_collected) {
        errs.push(FieldError::new("opinions_collected", "out_of_range", "0–10000"));
    }
    errs.extend(crate::org::rules::required_text("summary", &b.summary, 5000));
    if b.photo_urls.len() > 20 || b.photo_urls.iter().any(|u| !u.starts_with("https://") && !u.starts_with("http://")) {
        errs.push(FieldError::new("photo_urls", "invalid_url", "at most 20 http(s) URLs"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |conn| {
        let ci = checkin_store::get(conn, b.checkin_id)?.ok_or_else(AppError::not_found)?;
        let own = p.role == Role::Deputy && p.deputy_id == Some(ci.deputy_id);
        let path = match ci.station_id {
            Some(s) => crate::org::station_region(conn, s)?.map(|x| x.1),
            None => None,
        };
        if !own {
            if p.role == Role::Deputy {
                return Err(AppError::not_found());
            }
            let s = ci.station_id.ok_or_else(AppError::not_found)?;
            policy::authorize(&p, Action::Write, &Target::station(s, path.clone().unwrap_or_default()))?;
        }
        if ci.status == "rejected" {
            return Err(AppError::conflict(Code::CheckinRejected, "a rejected check-in gets no activity record"));
        }
        if let Some(station) = ci.station_id {
            let linked = crate::reception::cases_filed_during(
                conn,
                station,
                ci.deputy_id,
                ci.checked_in_at,
                ci.checked_out_at.unwrap_or(now),
            )?;
            if i64::from(b.opinions_collected) < linked {
                return Err(AppError::invalid_field(
                    "opinions_collected",
                    "count_below_linked",
                    format!("{linked} cases were filed at the station during this reception"),
                ));
            }
        }
        let photos = serde_json::to_string(&b.photo_urls).unwrap_or_else(|_| "[]".into());
        let id = records::insert(
            conn,
            &NewRecord {
                checkin: &ci,
                constituents: b.constituents_received,
                opinions: b.opinions_collected,
                summary: b.summary.trim(),
                photos: &photos,
                by: p.account_id,
                now,
            },
        )?;
        Entry::by(&p, "activity.create", "activity_record", id.to_string()).region(path).write(conn, now)?;
        Ok(view(records::get(conn, id)?))
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// My activity records (part of the duty archive), oldest first.
#[utoipa::path(tag = "checkins", params(PageQuery), responses((status = 200, body = Page<ActivityView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/activity-records")]
pub async fn mine(
    state: web::Data<AppState>,
    p: Principal,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<ActivityView>>> {
    let (limit, after) = (pq.limit()?, pq.after()?);
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    let rows = db::run(&state.db, move |conn| records::of_deputy(conn, me, after, limit)).await?;
    Ok(web::Json(page(rows, limit, |r| r.0, view)))
}
