//! Routes: staff forward a case to a handling unit with a deadline in working days; the unit
//! replies to the constituent or asks for more time, and staff decide. Cases past their deadline
//! show a red light, are listed, and their unit is reminded by SMS once a day.

use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::reception::appointments::routes::workdays;
use crate::reception::cases::case::{self, Access, CaseView};
use crate::reception::cases::routes::answering::{answer_with, body_text, AnswerRequest};
use crate::reception::cases::rules::Action;
use crate::reception::store::handling as hs;
use crate::reception::store::opinions::{self as store, Event};
use crate::state::AppState;
use actix_web::{post, web};
use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardRequest {
    pub unit_id: i64,
    /// Working days the unit has (1–60; default `LVZHI_OPINION_DEADLINE_DAYS`).
    pub working_days: Option<u32>,
    /// Shown in the case's history.
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    /// Working days more (1–30), counted from the current deadline.
    pub working_days: u32,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionDecision {
    pub approve: bool,
    pub reason: Option<String>,
}

/// The congress calendar day a UTC time falls on.
fn local_day(at: NaiveDateTime, tz: chrono_tz::Tz) -> chrono::NaiveDate {
    db::utc(at).with_timezone(&tz).date_naive()
}

/// Forward the case to a handling unit, due in working days on the holiday calendar.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = ForwardRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/forward")]
pub async fn forward(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<ForwardRequest>,
) -> AppResult<web::Json<CaseView>> {
    let b = body.into_inner();
    let days = b.working_days.unwrap_or(state.settings.opinion_deadline_days);
    if !(1..=60).contains(&days) {
        return Err(AppError::invalid_field("working_days", "out_of_range", "1 to 60 working days"));
    }
    let note = b.note.map(|n| body_text("note", &n)).transpose()?;
    let (tz, pii) = (state.settings.tz, state.pii.clone());
    case::act(&state, p, ticket.into_inner(), Access::Staff, move |c, p, o, now| {
        let unit = crate::org::unit(c, b.unit_id)?
            .filter(|(_, path)| path.starts_with(&o.region_path) || o.region_path.starts_with(path.as_str()));
        let (unit, _) = unit.ok_or_else(|| {
            AppError::invalid_field("unit_id", "unknown_unit", "no handling unit of this case's congress has this id")
        })?;
        let due = workdays::deadline(c, local_day(now, tz), days, tz)?;
        let text =
            format!("转交{}，{}个工作日内答复{}", unit.name, days, note.map(|n| format!("：{n}")).unwrap_or_default());
        let (_, wakes) = case::transition(c, o, Action::Forward, (p, Access::Staff), Some(&text), now)?;
        hs::set_forwarded(c, o.id, unit.id, due, now)?;
        if let Some(phone) = unit.contact_phone.as_deref() {
            let sms = format!(
                "【履职】意见{}已转交贵单位办理，请于{}前答复。",
                o.ticket,
                local_day(due - chrono::Duration::seconds(1), tz)
            );
            crate::sms::enqueue_text(
                c,
                &pii,
                phone,
                &sms,
                &format!("opinion-forward:{}:{}", o.id, now.and_utc().timestamp()),
                now,
            )?;
        }
        Ok(wakes)
    })
    .await
}

/// Reply to the constituent (the handling unit the case was forwarded to).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = AnswerRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/reply")]
pub async fn reply(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<AnswerRequest>,
) -> AppResult<web::Json<CaseView>> {
    let text = body_text("body", &body.body)?;
    case::act(&state, p, ticket.into_inner(), Access::Unit, move |c, p, o, now| {
        answer_with(c, o, (p, Access::Unit), Action::Reply, &text, now)
    })
    .await
}

/// Ask for a later deadline (the handling unit; staff approve or refuse).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = ExtensionRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/extension")]
pub async fn request_extension(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<ExtensionRequest>,
) -> AppResult<web::Json<CaseView>> {
    let b = body.into_inner();
    if !(1..=30).contains(&b.working_days) {
        return Err(AppError::invalid_field("working_days", "out_of_range", "1 to 30 working days"));
    }
    let reason = body_text("reason", &b.reason)?;
    let tz = state.settings.tz;
    case::act(&state, p, ticket.into_inner(), Access::Unit, move |c, p, o, now| {
        let due = match (o.status.as_str(), o.due_at) {
            ("forwarded", Some(d)) => d,
            _ => {
                return Err(AppError::conflict(
                    Code::IllegalTransition,
                    format!("a {} opinion has no deadline to extend", o.status),
                ))
            }
        };
        if o.extension_until.is_some() {
            return Err(AppError::conflict(Code::ExtensionPending, "an extension request is waiting for staff"));
        }
        let until = workdays::deadline(c, local_day(due - chrono::Duration::seconds(1), tz), b.working_days, tz)?;
        hs::request_extension(c, o.id, until, &reason)?;
        let note = format!("extension requested to {}: {reason}", local_day(until - chrono::Duration::seconds(1), tz));
        store::event(
            c,
            o.id,
            &Event { from: Some(&o.status), to: &o.status, account: p.account_id, role: "unit", note: Some(&note) },
            now,
        )?;
        Ok(vec![])
    })
    .await
}

/// Approve or refuse a unit's request for a later deadline (staff).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = ExtensionDecision, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/extension/decision")]
pub async fn decide_extension(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<ExtensionDecision>,
) -> AppResult<web::Json<CaseView>> {
    let b = body.into_inner();
    let reason = b.reason.map(|r| body_text("reason", &r)).transpose()?;
    if !b.approve && reason.is_none() {
        return Err(AppError::invalid_field("reason", "required", "say why the extension is refused"));
    }
    case::act(&state, p, ticket.into_inner(), Access::Staff, move |c, p, o, now| {
        let until = o
            .extension_until
            .filter(|_| o.status == "forwarded")
            .ok_or_else(|| AppError::conflict(Code::NoExtensionPending, "no extension request is waiting"))?;
        hs::decide_extension(c, o.id, b.approve.then_some(until))?;
        let note = format!(
            "extension {}{}",
            if b.approve { "approved" } else { "refused" },
            reason.map(|r| format!(": {r}")).unwrap_or_default()
        );
        store::event(
            c,
            o.id,
            &Event { from: Some(&o.status), to: &o.status, account: p.account_id, role: "staff", note: Some(&note) },
            now,
        )?;
        Ok(vec![])
    })
    .await
}

/// Texts the units of overdue cases (once a day per case); returns how many were reminded.
pub async fn remind_overdue(state: &AppState) -> AppResult<usize> {
    let (now, tz, pii) = (state.now(), state.settings.tz, state.pii.clone());
    db::tx(&state.db, move |c| {
        let due = hs::overdue_unreminded(c, now, now - chrono::Duration::hours(24), 200)?;
        for (id, ticket, unit) in &due {
            let phone = match unit {
                Some(u) => crate::org::unit(c, *u)?.and_then(|(u, _)| u.contact_phone),
                None => None,
            };
            if let Some(phone) = phone {
                let body = format!("【履职】意见{ticket}已超过答复期限，请尽快办理答复。");
                crate::sms::enqueue_text(
                    c,
                    &pii,
                    &phone,
                    &body,
                    &format!("opinion-overdue:{id}:{}", local_day(now, tz)),
                    now,
                )?;
            }
            hs::set_reminded(c, *id, now)?;
        }
        Ok(due.len())
    })
    .await
}
