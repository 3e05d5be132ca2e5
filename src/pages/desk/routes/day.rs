//! Desk pages: the station's day (duty, check-ins to review, bookings, events, walk-ins) with the
//! walk-in form, and the answers to its forms: filing a walk-in, reviewing a check-in.

use super::respond::{fail, refused, staff, staff_form};
use crate::pages::desk::model::{Day, Me};
use crate::pages::desk::rules;
use crate::pages::desk::views::{lines, DayPage, WalkInDraft};
use crate::pages::kit::{token, Pages, Visit};
use crate::pages::rules::CATEGORIES;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
pub struct DayQuery {
    pub station: Option<i64>,
    pub date: Option<chrono::NaiveDate>,
    /// The ticket just filed.
    pub filed: Option<String>,
    /// What was just done: reviewed, saved, cancelled.
    pub done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct WalkInForm {
    #[serde(default)]
    pub csrf: String,
    pub station: i64,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub consent: String,
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub csrf: String,
    pub station: i64,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// What the day page shows besides the day: a note of what was done, an error, the form's draft.
#[derive(Default)]
pub struct Extra {
    pub date: Option<chrono::NaiveDate>,
    pub done: Option<String>,
    pub error: Option<&'static str>,
    pub draft: WalkInDraft,
}

/// Renders the station's day for the signed-in staff member.
pub async fn show(mut v: Visit, me: Me, station: i64, tz: chrono_tz::Tz, x: Extra) -> HttpResponse {
    let path = match x.date {
        Some(d) => format!("/api/v1/stations/{station}/day?date={d}"),
        None => format!("/api/v1/stations/{station}/day"),
    };
    let r = match v.call(Method::GET, &path, None, None).await {
        Ok(r) if r.ok() => r,
        Ok(r) => return refused(v, r.status, r.reason()),
        Err(e) => return fail(v, e),
    };
    let day: Day = match serde_json::from_value(r.body) {
        Ok(d) => d,
        Err(e) => return fail(v, crate::error::AppError::internal(format!("station day: {e}"))),
    };
    let named = v.call(Method::GET, &format!("/api/v1/stations/{station}"), None, None).await;
    let station_name = named
        .ok()
        .and_then(|r| r.body.get("name").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| format!("联络站 {station}"));
    let date = chrono::NaiveDate::parse_from_str(&day.date, "%Y-%m-%d").unwrap_or_default();
    let (station, date_text) = (day.station_id, day.date.clone());
    let (slots, checkins, bookings, events, walk_ins) = lines(day, tz);
    let status = if x.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view = DayPage {
        head: v.head("当天"),
        staff: me.display_name,
        station,
        station_name,
        date: date_text,
        prev: (date - chrono::Duration::days(1)).to_string(),
        next: (date + chrono::Duration::days(1)).to_string(),
        slots,
        checkins,
        bookings,
        events,
        walk_ins,
        done: x.done,
        error: x.error,
        draft: x.draft,
        form_key: token(),
        channels: rules::CHANNELS,
        categories: CATEGORIES,
    };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the desk day failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// The station this staff member works at, unless another one in reach is asked for.
fn station_of(me: &Me, asked: Option<i64>) -> Option<i64> {
    asked.or_else(|| me.station_ids.first().copied())
}

/// The station's day.
#[get("/desk/")]
pub async fn page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    q: web::Query<DayQuery>,
) -> HttpResponse {
    let (v, me) = match staff(pages.desk_visit(&req)).await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let Some(station) = station_of(&me, q.station) else {
        return super::respond::message(
            v,
            StatusCode::OK,
            "请选择联络站",
            "在地址后加上 ?station=联络站编号 打开该站的工作台。",
        );
    };
    let done = match (
        q.filed.as_deref().filter(|t| t.len() <= 40 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')),
        q.done.as_deref(),
    ) {
        (Some(t), _) => Some(format!("已登记，编号 {t}。")),
        (None, Some("reviewed")) => Some("签到已审核。".to_string()),
        (None, Some("saved")) => Some("排班已调整，相关代表和群众会收到通知。".to_string()),
        (None, Some("cancelled")) => Some("该时段已取消，已预约的群众会收到短信。".to_string()),
        _ => None,
    };
    show(v, me, station, state.settings.tz, Extra { date: q.date, done, ..Default::default() }).await
}

fn text_or_null(s: &str) -> Value {
    match s.trim() {
        "" => Value::Null,
        t => json!(t),
    }
}

/// Files a walk-in for the person at the desk, then shows the day with its ticket.
#[post("/desk/walk-ins")]
pub async fn walk_in(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    f: web::Form<WalkInForm>,
) -> HttpResponse {
    let (mut v, me) = match staff_form(pages.desk_visit(&req), &f.csrf).await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let f = f.into_inner();
    let body = json!({
        "channel": f.channel, "category": f.category, "title": f.title.trim(), "content": f.content.trim(),
        "name": text_or_null(&f.name), "phone": text_or_null(&f.phone), "consent": text_or_null(&f.consent),
    });
    let key = Some(f.key.as_str()).filter(|k| crate::pages::rules::well_formed_token(k));
    let path = format!("/api/v1/stations/{}/walk-ins", f.station);
    match v.call(Method::POST, &path, Some(&body), key).await {
        Ok(r) if r.ok() => {
            let ticket = r.body.get("ticket").and_then(Value::as_str).unwrap_or_default().to_string();
            v.redirect(&format!("/desk/?station={}&filed={ticket}", f.station))
        }
        Ok(r) if r.status == 422 => {
            let error = Some(rules::error_text(r.reason()));
            let draft = WalkInDraft {
                channel: f.channel,
                category: f.category,
                title: f.title,
                content: f.content,
                name: f.name,
                phone: f.phone,
                consent: f.consent,
            };
            show(v, me, f.station, state.settings.tz, Extra { error, draft, ..Default::default() }).await
        }
        Ok(r) => refused(v, r.status, r.reason()),
        Err(e) => fail(v, e),
    }
}

/// Approves or rejects a check-in waiting for review.
#[post("/desk/checkins/{id}/review")]
pub async fn review(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<ReviewForm>,
) -> HttpResponse {
    let (mut v, me) = match staff_form(pages.desk_visit(&req), &f.csrf).await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let body = json!({"decision": f.decision, "reason": text_or_null(&f.reason)});
    match v.call(Method::POST, &format!("/api/v1/checkins/{}/review", id.into_inner()), Some(&body), None).await {
        Ok(r) if r.ok() => v.redirect(&format!("/desk/?station={}&done=reviewed", f.station)),
        Ok(r) if matches!(r.status, 409 | 422) => {
            let error = Some(rules::error_text(r.reason()));
            show(v, me, f.station, state.settings.tz, Extra { error, ..Default::default() }).await
        }
        Ok(r) => refused(v, r.status, r.reason()),
        Err(e) => fail(v, e),
    }
}
