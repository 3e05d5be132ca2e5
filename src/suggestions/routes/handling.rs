//! Routes: the assigned units acknowledge a suggestion and log their contacts with the deputy
//! (沟通); the lead unit replies with a classification (A solved, B being solved, C hard to solve
//! now) — only after at least one contact in this round (422 `contact_required`); the author
//! rates the reply, and an unsatisfied first rating sends it back to the units for a second round.

use crate::auth::Principal;
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::state::AppState;
use crate::suggestions::model::{Stand, SuggestionView};
use crate::suggestions::rules::{self, Action, Actor};
use crate::suggestions::store::{self, NewContact};
use crate::suggestions::{step, step_telling, tell_author, transition};
use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactCreate {
    /// phone, visit or meeting.
    pub channel: String,
    /// YYYY-MM-DD.
    pub contacted_on: String,
    pub summary: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyCreate {
    /// A (solved), B (being solved) or C (hard to solve now).
    pub classification: String,
    /// The reply, with the explanation.
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SuggestionEvaluation)]
pub struct Evaluation {
    /// satisfied, basically_satisfied or unsatisfied.
    pub satisfaction: String,
    pub comment: Option<String>,
}

fn unit(s: Stand) -> bool {
    matches!(s, Stand::Unit(_))
}

/// Acknowledge receipt of an assigned suggestion (an assigned unit).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/acknowledge")]
pub async fn acknowledge(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SuggestionView>> {
    step(&state, p, id.into_inner(), unit, "suggestion.acknowledge", |c, p, s, _, now| {
        if s.status != "assigned" {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                format!("a {} suggestion is not waiting for its units", s.status),
            ));
        }
        store::acknowledge(c, s.id, p.unit_id.ok_or_else(AppError::not_found)?, now)
    })
    .await
}

/// Log a contact with the deputy about the suggestion (an assigned unit).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = ContactCreate, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/contacts")]
pub async fn contact(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ContactCreate>,
) -> AppResult<web::Json<SuggestionView>> {
    let b = body.into_inner();
    let mut errs = vec![];
    if !rules::CHANNELS.contains(&b.channel.as_str()) {
        errs.push(FieldError::new("channel", "invalid_value", "phone, visit or meeting"));
    }
    if !crate::org::rules::valid_date(&b.contacted_on) {
        errs.push(FieldError::new("contacted_on", "invalid_date", "YYYY-MM-DD"));
    }
    errs.extend(crate::org::rules::required_text("summary", &b.summary, 2000));
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    step(&state, p, id.into_inner(), unit, "suggestion.contact", move |c, p, s, _, now| {
        if s.status != "assigned" {
            return Err(AppError::conflict(
                Code::IllegalTransition,
                format!("a {} suggestion is not being handled", s.status),
            ));
        }
        let n = NewContact {
            unit: p.unit_id.ok_or_else(AppError::not_found)?,
            account: p.account_id,
            channel: &b.channel,
            on: &b.contacted_on,
            summary: b.summary.trim(),
            round: s.round,
        };
        store::add_contact(c, s.id, &n, now).map(|_| ())
    })
    .await
}

/// Reply to the suggestion with a classification (the lead unit, after at least one contact
/// with the deputy in this round).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = ReplyCreate, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/reply")]
pub async fn reply(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ReplyCreate>,
) -> AppResult<web::Json<SuggestionView>> {
    let b = body.into_inner();
    if !rules::CLASSIFICATIONS.contains(&b.classification.as_str()) {
        return Err(AppError::invalid_field("classification", "invalid_value", "A, B or C"));
    }
    if let Some(e) = crate::org::rules::required_text("body", &b.body, 20_000) {
        return Err(AppError::validation(vec![e]));
    }
    let when = (state.settings.tz, state.settings.quiet_hours);
    step_telling(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Unit(true),
        "suggestion.reply",
        move |c, p, s, stand, now| {
            let me = p.unit_id.ok_or_else(AppError::not_found)?;
            if s.status == "assigned" && !store::contacts(c, s.id)?.iter().any(|x| x.1 == me && x.5 == s.round) {
                return Err(AppError::invalid_field(
                    "contacts",
                    "contact_required",
                    "log a contact with the deputy before replying",
                ));
            }
            let note = format!("classification {}", b.classification);
            transition(c, s, rules::next(&s.status, Action::Reply, Actor::Unit), (p, stand), Some(&note), now)?;
            store::set_reply(c, s.id, &b.classification, b.body.trim(), now)?;
            let body = format!("承办单位答复（{}类）：\n\n{}\n\n请在履职App中评价。", b.classification, b.body.trim());
            Ok(vec![tell_author(c, when, s, &format!("您的建议已答复：{}", s.title), &body, now)?])
        },
    )
    .await
}

/// Rate the reply to my suggestion (the author only: 403 for anyone else); unsatisfied the
/// first time sends it back to the units for a second round.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = Evaluation, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/evaluate")]
pub async fn evaluate(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<Evaluation>,
) -> AppResult<web::Json<SuggestionView>> {
    let b = body.into_inner();
    if !rules::SATISFACTION.contains(&b.satisfaction.as_str()) {
        return Err(AppError::invalid_field("satisfaction", "invalid_value", rules::SATISFACTION.join(", ")));
    }
    let comment = b.comment.map(|x| x.trim().to_string()).filter(|x| !x.is_empty());
    if comment.as_ref().is_some_and(|x| x.chars().count() > 2000) {
        return Err(AppError::invalid_field("comment", "too_long", "at most 2,000 characters"));
    }
    step(
        &state,
        p,
        id.into_inner(),
        |s| s == Stand::Author,
        "suggestion.evaluate",
        move |c, p, s, stand, now| {
            rules::next(&s.status, Action::Evaluate, Actor::Author).ok_or_else(|| {
                AppError::conflict(Code::IllegalTransition, format!("a {} suggestion cannot be rated", s.status))
            })?;
            let to = rules::after_evaluation(&b.satisfaction, s.round);
            let note = match &comment {
                Some(cm) => format!("{}: {cm}", b.satisfaction),
                None => b.satisfaction.clone(),
            };
            transition(c, s, Some(to), (p, stand), Some(&note), now)?;
            store::set_evaluation(c, s.id, &b.satisfaction, comment.as_deref(), to == "assigned")
        },
    )
    .await
}
