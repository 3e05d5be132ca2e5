//! Pages: my cases and appointments, one case's page (its history, the answers, the thread with
//! a box to write, the rating once it is closed, texts on or off, following), and what their
//! forms post. Another person's ticket answers the same 404 page as a missing one.

use crate::pages::kit::{Pages, Visit};
use crate::pages::model::{Appointment, Case, Item};
use crate::pages::rules;
use crate::pages::views::{AppointmentLine, CasePage, CasesPage, ItemLine, Said, Step};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

fn ticket_ok(t: &str) -> bool {
    !t.is_empty() && t.len() <= 40 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// My cases and my appointments.
#[get("/m/cases")]
pub async fn list(req: HttpRequest, pages: web::Data<Pages>, state: web::Data<AppState>) -> HttpResponse {
    let mut v = pages.visit(&req);
    let tz = state.settings.tz;
    let cases = match v.call(Method::GET, "/api/v1/me/opinions?limit=100", None, None).await {
        Ok(r) if r.status == 401 => return v.sign_in_first("/m/cases"),
        Ok(r) if r.ok() => r.body.get("items").cloned().unwrap_or(Value::Null),
        Ok(r) => return v.fail(crate::error::AppError::internal(format!("my cases: {}", r.status))),
        Err(e) => return v.fail(e),
    };
    let booked = match v.call(Method::GET, "/api/v1/me/appointments?limit=50", None, None).await {
        Ok(r) if r.ok() => r.body.get("items").cloned().unwrap_or(Value::Null),
        Ok(_) => Value::Null,
        Err(e) => return v.fail(e),
    };
    let items: Vec<Item> = serde_json::from_value(cases).unwrap_or_default();
    let appts: Vec<Appointment> = serde_json::from_value(booked).unwrap_or_default();
    let page = CasesPage {
        head: v.head("我的意见"),
        items: items
            .into_iter()
            .map(|i| ItemLine {
                status: rules::status_name(&i.status),
                when: rules::local_time(i.updated_at, tz),
                title: if i.title.is_empty() { rules::category_name(&i.category).into() } else { i.title },
                ticket: i.ticket,
            })
            .collect(),
        appointments: appts
            .into_iter()
            .map(|a| AppointmentLine {
                id: a.id,
                when: rules::local_time(a.starts_at, tz),
                mode: if a.mode == "online" { "视频接待" } else { "到站面谈" },
                can_cancel: matches!(a.status.as_str(), "requested" | "confirmed"),
                status: rules::appointment_status_name(&a.status),
                topic: a.topic,
                note: a.note,
                video_url: a.video_url.filter(|u| u.starts_with("https://")),
            })
            .collect(),
    };
    v.render(StatusCode::OK, &page).unwrap_or_else(|e| pages.visit(&req).fail(e))
}

#[derive(Debug, Deserialize)]
pub struct Flash {
    pub filed: Option<String>,
    pub done: Option<String>,
}

async fn show(
    mut v: Visit,
    tz: chrono_tz::Tz,
    ticket: &str,
    flash: Option<&'static str>,
    error: Option<&'static str>,
) -> HttpResponse {
    if !ticket_ok(ticket) {
        return v.not_found();
    }
    let here = format!("/m/cases/{ticket}");
    let c: Case = match v.call(Method::GET, &format!("/api/v1/me/opinions/{ticket}"), None, None).await {
        Ok(r) if r.status == 401 => return v.sign_in_first(&here),
        Ok(r) if r.status == 404 || r.status == 403 => return v.not_found(),
        Ok(r) if r.ok() => match r.parse() {
            Ok(c) => c,
            Err(e) => return v.fail(e),
        },
        Ok(r) => return v.fail(crate::error::AppError::internal(format!("a case: {}", r.status))),
        Err(e) => return v.fail(e),
    };
    let steps = c
        .events
        .iter()
        .flatten()
        .map(|e| Step {
            when: rules::local_time(e.at, tz),
            what: rules::status_name(&e.to_status),
            who: rules::author_name(&e.actor),
            note: e.note.clone().filter(|n| !n.is_empty()),
        })
        .collect();
    let thread = c
        .messages
        .iter()
        .map(|m| Said {
            when: rules::local_time(m.at, tz),
            who: rules::author_name(&m.author),
            mine: m.author == "constituent",
            body: m.body.clone(),
        })
        .collect();
    let open = !matches!(c.status.as_str(), "rated" | "rejected" | "withdrawn" | "merged");
    let page = CasePage {
        head: v.head(format!("意见 {}", c.ticket)),
        category: rules::category_name(&c.category),
        status: rules::status_name(&c.status),
        filed: rules::local_time(c.created_at, tz),
        steps,
        thread,
        can_rate: c.access == "owner" && c.status == "closed",
        can_write: c.access == "owner" && open,
        flash,
        error,
        c,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    match v.render(status, &page) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "rendering a case failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// One case: history, answers, thread, rating.
#[get("/m/cases/{ticket}")]
pub async fn one(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    ticket: web::Path<String>,
    q: web::Query<Flash>,
) -> HttpResponse {
    let flash = match (q.filed.is_some(), q.done.as_deref()) {
        (true, _) => Some("提交成功！请记下编号，办理进展会通过短信通知您。"),
        (_, Some("message")) => Some("消息已发送。"),
        (_, Some("rated")) => Some("感谢您的评价！"),
        (_, Some("texts")) => Some("短信提醒设置已保存。"),
        (_, Some("followed")) => Some("已关注，办理进展会通知您。"),
        _ => None,
    };
    show(pages.visit(&req), state.settings.tz, &ticket, flash, None).await
}

#[derive(Debug, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    pub csrf: String,
    pub body: Option<String>,
    pub satisfaction: Option<String>,
    pub result_score: Option<i32>,
    pub attitude_score: Option<i32>,
    pub comment: Option<String>,
    pub on: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub coord_system: Option<String>,
}

/// Posts one of a case's forms to the API, then shows the case again.
async fn act(
    req: HttpRequest,
    pages: &Pages,
    tz: chrono_tz::Tz,
    ticket: &str,
    what: &str,
    f: CaseForm,
) -> HttpResponse {
    let mut v = pages.visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return v.forged();
    }
    if !ticket_ok(ticket) {
        return v.not_found();
    }
    let here = format!("/m/cases/{ticket}");
    let (method, path, body) = match what {
        "message" => {
            (Method::POST, format!("/api/v1/opinions/{ticket}/messages"), json!({ "body": f.body.unwrap_or_default() }))
        }
        "rated" => (
            Method::POST,
            format!("/api/v1/me/opinions/{ticket}/rate"),
            json!({
                "satisfaction": f.satisfaction.unwrap_or_default(),
                "result_score": f.result_score.unwrap_or(0),
                "attitude_score": f.attitude_score.unwrap_or(0),
                "comment": f.comment.filter(|c| !c.trim().is_empty()),
            }),
        ),
        "texts" => (
            Method::PUT,
            format!("/api/v1/me/opinions/{ticket}/texts"),
            json!({ "enabled": f.on.as_deref() == Some("yes") }),
        ),
        "followed" => {
            let num = |s: Option<String>| s.and_then(|x| x.parse::<f64>().ok());
            let coord = f.coord_system.filter(|c| !c.is_empty()).unwrap_or_else(|| "wgs84".into());
            match (num(f.latitude), num(f.longitude)) {
                (Some(lat), Some(lng)) => (
                    Method::POST,
                    format!("/api/v1/opinions/{ticket}/follow"),
                    json!({ "latitude": lat, "longitude": lng, "coord_system": coord }),
                ),
                _ => return v.not_found(),
            }
        }
        _ => (Method::DELETE, format!("/api/v1/opinions/{ticket}/follow"), Value::Null),
    };
    let json = if body.is_null() { None } else { Some(&body) };
    match v.call(method, &path, json, None).await {
        Ok(r) if r.status == 401 => v.sign_in_first(&here),
        Ok(r) if r.status == 404 => v.not_found(),
        Ok(r) if r.ok() && what == "unfollowed" => v.redirect("/m/cases"),
        Ok(r) if r.ok() => v.redirect(&format!("{here}?done={what}")),
        Ok(r) => {
            let e = rules::error_text(r.reason());
            show(v, tz, ticket, None, Some(e)).await
        }
        Err(e) => v.fail(e),
    }
}

macro_rules! case_form {
    ($name:ident, $path:literal, $what:literal, $doc:literal) => {
        #[doc = $doc]
        #[post($path)]
        pub async fn $name(
            req: HttpRequest,
            pages: web::Data<Pages>,
            state: web::Data<AppState>,
            ticket: web::Path<String>,
            f: web::Form<CaseForm>,
        ) -> HttpResponse {
            act(req, &pages, state.settings.tz, &ticket, $what, f.into_inner()).await
        }
    };
}

case_form!(message, "/m/cases/{ticket}/message", "message", "Writes in the case's thread.");
case_form!(rate, "/m/cases/{ticket}/rate", "rated", "Rates a closed case.");
case_form!(texts, "/m/cases/{ticket}/texts", "texts", "Turns the case's texts off or on.");
case_form!(follow, "/m/cases/{ticket}/follow", "followed", "Follows a similar case instead of filing one.");
case_form!(unfollow, "/m/cases/{ticket}/unfollow", "unfollowed", "Stops following a case.");
