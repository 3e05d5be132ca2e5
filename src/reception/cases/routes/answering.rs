//! Routes: the deputy in charge answers a case (a points source for the ledger, once per case),
//! asks staff to forward it, or closes it; the constituent rates the outcome, and an unsatisfied
//! first rating reopens the case for a second round, escalated to the supervising staff.

use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::ledger::PointEvent;
use crate::live::Wake;
use crate::reception::cases::case::{self, Access, CaseView};
use crate::reception::cases::rules::{self as rules, Action};
use crate::reception::store::handling as hs;
use crate::reception::store::opinions::OpinionRow;
use crate::state::AppState;
use actix_web::{post, web};
use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// Plain text to the constituent, at most 5,000 characters.
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingRequest {
    /// satisfied, basically_satisfied or unsatisfied.
    pub satisfaction: String,
    /// 1–5.
    pub result_score: i32,
    /// 1–5.
    pub attitude_score: i32,
    pub comment: Option<String>,
}

/// A message body: required, plain text, at most 5,000 characters.
pub fn body_text(field: &str, s: &str) -> AppResult<String> {
    match crate::org::rules::required_text(field, s, 5000) {
        Some(e) => Err(AppError::validation(vec![e])),
        None => Ok(s.trim().to_string()),
    }
}

fn note_text(n: Option<String>) -> AppResult<Option<String>> {
    n.map(|n| body_text("note", &n)).transpose()
}

/// Records an answer to the constituent (a deputy's or a unit's) as a thread message, with the
/// state change and the live news.
pub fn answer_with(
    c: &mut AnyConnection,
    o: &OpinionRow,
    by: (&Principal, Access),
    action: Action,
    body: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<Wake>> {
    let (_, mut wakes) = case::transition(c, o, action, by, None, now)?;
    let id = crate::reception::store::threads::add_message(c, o.id, by.0.account_id, by.1.role(), body, false, now)?;
    hs::set_first_answer(c, o.id, now)?;
    let data = serde_json::json!({"ticket": o.ticket, "message_id": id, "author": by.1.role()});
    wakes.extend(case::tell(c, o, "opinion_message", &data, now)?);
    Ok(wakes)
}

/// Answer the constituent (the deputy in charge). Each answered case earns the deputy's duty
/// points once, through the ledger.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = AnswerRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/answer")]
pub async fn answer(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<AnswerRequest>,
) -> AppResult<web::Json<CaseView>> {
    let text = body_text("body", &body.body)?;
    case::act(&state, p, ticket.into_inner(), Access::Deputy, move |c, p, o, now| {
        if o.constituent_id.is_none() {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                "a case a deputy raised is answered by the unit it is forwarded to",
            ));
        }
        let wakes = answer_with(c, o, (p, Access::Deputy), Action::Answer, &text, now)?;
        if let Some(d) = p.deputy_id {
            crate::ledger::note(
                c,
                PointEvent { deputy: d, kind: "opinion_answered", source: ("opinion", o.id), at: now },
                now,
            )?;
        }
        Ok(wakes)
    })
    .await
}

/// Ask staff to forward the case to a handling unit (the deputy in charge); the reason goes to
/// the thread as an internal note.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = NoteRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/forward-request")]
pub async fn forward_request(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<NoteRequest>,
) -> AppResult<web::Json<CaseView>> {
    let note = note_text(body.into_inner().note)?;
    case::act(&state, p, ticket.into_inner(), Access::Deputy, move |c, p, o, now| {
        if rules::next(&o.status, Action::Forward, rules::Actor::Staff).is_none() {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                format!("a {} opinion cannot be forwarded", o.status),
            ));
        }
        hs::set_forward_requested(c, o.id)?;
        let text = format!("请转交承办单位{}", note.map(|n| format!("：{n}")).unwrap_or_default());
        crate::reception::store::threads::add_message(c, o.id, p.account_id, "deputy", &text, true, now)?;
        Ok(vec![])
    })
    .await
}

/// Close an answered or replied case (the deputy in charge or staff); the constituent may then
/// rate it.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = NoteRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/close")]
pub async fn close(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<NoteRequest>,
) -> AppResult<web::Json<CaseView>> {
    let note = note_text(body.into_inner().note)?;
    let access = if p.role == crate::auth::Role::Deputy { Access::Deputy } else { Access::Staff };
    case::act(&state, p, ticket.into_inner(), access, move |c, p, o, now| {
        Ok(case::transition(c, o, Action::Close, (p, access), note.as_deref(), now)?.1)
    })
    .await
}

fn check_rating(r: &RatingRequest) -> Vec<FieldError> {
    let mut e = vec![];
    if !rules::SATISFACTION.contains(&r.satisfaction.as_str()) {
        e.push(FieldError::new("satisfaction", "invalid_value", rules::SATISFACTION.join(", ")));
    }
    for (f, v) in [("result_score", r.result_score), ("attitude_score", r.attitude_score)] {
        if !(1..=5).contains(&v) {
            e.push(FieldError::new(f, "out_of_range", "1 to 5"));
        }
    }
    if r.comment.as_ref().is_some_and(|c| c.chars().count() > 1000) {
        e.push(FieldError::new("comment", "too_long", "at most 1,000 characters"));
    }
    e
}

/// Rate the outcome of my closed case (the constituent who left it, or the deputy who raised
/// it from a suggestion). Unsatisfied the first time reopens it for a second round, escalated
/// to the supervising staff.
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = RatingRequest, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/opinions/{ticket}/rate")]
pub async fn rate(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<RatingRequest>,
) -> AppResult<web::Json<CaseView>> {
    let r = body.into_inner();
    let errs = check_rating(&r);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    // A case a deputy raised has no constituent: the deputy rates it.
    let access = if p.role == crate::auth::Role::Deputy { Access::Deputy } else { Access::Owner };
    case::act(&state, p, ticket.into_inner(), access, move |c, p, o, now| {
        if access == Access::Deputy && o.constituent_id.is_some() {
            return Err(AppError::forbidden(Code::Forbidden, "the constituent who left the opinion rates it"));
        }
        rules::next(&o.status, Action::Rate, rules::Actor::Constituent).ok_or_else(|| {
            AppError::conflict(Code::IllegalTransition, format!("a {} opinion cannot be rated", o.status))
        })?;
        let to = rules::after_rating(&r.satisfaction, o.round);
        let note = match (to, r.comment.as_deref().map(str::trim).filter(|c| !c.is_empty())) {
            ("reopened", Some(cm)) => format!("{}: {cm} — second round, escalated", r.satisfaction),
            ("reopened", None) => format!("{}: second round, escalated", r.satisfaction),
            (_, Some(cm)) => format!("{}: {cm}", r.satisfaction),
            (_, None) => r.satisfaction.clone(),
        };
        let wakes = case::move_to(c, o, to, (p, access), Some(&note), now)?;
        hs::set_rating(c, o.id, (&r.satisfaction, r.result_score, r.attitude_score), to == "reopened")?;
        Ok(wakes)
    })
    .await
}
