//! Desk pages: one duty slot — change its times, deputies and note (the page carries the version
//! it showed, sent back as If-Match, so a change made meanwhile is not overwritten), or cancel it.

use super::respond::{fail, refused, staff, staff_form};
use crate::pages::desk::model::Slot;
use crate::pages::desk::rules;
use crate::pages::desk::views::SlotPage;
use crate::pages::kit::{Pages, Visit};
use crate::pages::rules::duty_when;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
pub struct StationQuery {
    pub station: Option<i64>,
}

/// The slot form: the deputies kept are ticked boxes (`keep`, one field each), those added typed.
#[derive(Debug, Default)]
pub struct SlotForm {
    pub csrf: String,
    pub station: i64,
    pub version: i64,
    pub starts: String,
    pub ends: String,
    pub keep: Vec<String>,
    pub add: String,
    pub reassign_to: String,
    pub cancel_bookings: bool,
    pub note: String,
    pub reason: String,
}

impl SlotForm {
    fn read(pairs: Vec<(String, String)>) -> SlotForm {
        let mut f = SlotForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => f.csrf = v,
                "station" => f.station = v.trim().parse().unwrap_or_default(),
                "version" => f.version = v.trim().parse().unwrap_or_default(),
                "starts" => f.starts = v,
                "ends" => f.ends = v,
                "keep" => f.keep.push(v),
                "add" => f.add = v,
                "reassign_to" => f.reassign_to = v,
                "cancel_bookings" => f.cancel_bookings = v == "yes",
                "note" => f.note = v,
                "reason" => f.reason = v,
                _ => {}
            }
        }
        f
    }
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    pub csrf: String,
    pub station: i64,
    #[serde(default)]
    pub reason: String,
}

async fn show(mut v: Visit, id: i64, station: i64, tz: chrono_tz::Tz, error: Option<&'static str>) -> HttpResponse {
    let r = match v.call(Method::GET, &format!("/api/v1/slots/{id}"), None, None).await {
        Ok(r) if r.ok() => r,
        Ok(r) => return refused(v, r.status, r.reason()),
        Err(e) => return fail(v, e),
    };
    let s: Slot = match serde_json::from_value(r.body) {
        Ok(s) => s,
        Err(e) => return fail(v, crate::error::AppError::internal(format!("slot: {e}"))),
    };
    let view = SlotPage {
        head: v.head("调整排班"),
        station,
        id,
        version: s.version,
        when: duty_when(s.starts_at, s.ends_at, tz),
        starts: rules::to_local(s.starts_at, tz),
        ends: rules::to_local(s.ends_at, tz),
        people: s.deputies.iter().map(|d| format!("{}（编号{}）", d.name, d.deputy_id)).collect::<Vec<_>>().join("、"),
        on_duty: s.deputies.into_iter().map(|d| (d.deputy_id, d.name)).collect(),
        note: s.note.unwrap_or_default(),
        error,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the desk slot failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// One slot, to change or cancel.
#[get("/desk/slots/{id}")]
pub async fn page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<StationQuery>,
) -> HttpResponse {
    let (v, me) = match staff(pages.desk_visit(&req)).await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let station = q.station.or_else(|| me.station_ids.first().copied()).unwrap_or_default();
    show(v, id.into_inner(), station, state.settings.tz, None).await
}

/// Saves a change of the slot.
#[post("/desk/slots/{id}")]
pub async fn save(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    let f = SlotForm::read(form.into_inner());
    let (mut v, _) = match staff_form(pages.desk_visit(&req), &f.csrf).await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let (id, tz) = (id.into_inner(), state.settings.tz);
    let (starts, ends) = (rules::from_local(&f.starts, tz), rules::from_local(&f.ends, tz));
    let typed = format!("{} {}", f.keep.join(" "), f.add);
    let (Some(starts), Some(ends), Some(deputies)) = (starts, ends, rules::ids(&typed)) else {
        return show(v, id, f.station, tz, Some("请检查时间和代表编号。")).await;
    };
    let reassign = match f.reassign_to.trim() {
        "" => Value::Null,
        raw => match raw.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => return show(v, id, f.station, tz, Some("接替代表编号应为数字。")).await,
        },
    };
    let mut body = json!({
        "starts_at": starts.to_rfc3339(), "ends_at": ends.to_rfc3339(), "deputy_ids": deputies,
        "note": f.note.trim(), "reassign_to": reassign, "cancel_bookings": f.cancel_bookings,
    });
    if !f.reason.trim().is_empty() {
        body["reason"] = json!(f.reason.trim());
    }
    let tag = format!("\"slot-{id}-v{}\"", f.version);
    match v.call_with(Method::PATCH, &format!("/api/v1/slots/{id}"), Some(&body), Some(("if-match", &tag))).await {
        Ok(r) if r.ok() => v.redirect(&format!("/desk/?station={}&done=saved", f.station)),
        Ok(r) if matches!(r.status, 409 | 412 | 422) => {
            show(v, id, f.station, tz, Some(rules::error_text(r.reason()))).await
        }
        Ok(r) => refused(v, r.status, r.reason()),
        Err(e) => fail(v, e),
    }
}

/// Cancels the slot with a reason.
#[post("/desk/slots/{id}/cancel")]
pub async fn cancel(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    f: web::Form<CancelForm>,
) -> HttpResponse {
    let (mut v, _) = match staff_form(pages.desk_visit(&req), &f.csrf).await {
        Ok(x) => x,
        Err(answer) => return answer,
    };
    let id = id.into_inner();
    let body = json!({"reason": f.reason.trim()});
    match v.call(Method::POST, &format!("/api/v1/slots/{id}/cancel"), Some(&body), None).await {
        Ok(r) if r.ok() => v.redirect(&format!("/desk/?station={}&done=cancelled", f.station)),
        Ok(r) if matches!(r.status, 409 | 422) => {
            show(v, id, f.station, state.settings.tz, Some(rules::error_text(r.reason()))).await
        }
        Ok(r) => refused(v, r.status, r.reason()),
        Err(e) => fail(v, e),
    }
}
