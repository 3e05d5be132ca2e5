//! Routes: the decision on each comment (adopted, partly adopted, not adopted, with a reason —
//! the commenter is told), and the feedback report (采纳情况) published after the close.

use super::access::{self, Stand};
use crate::auth::policy::Action;
use crate::auth::Principal;
use crate::consultations::model::{
    CommentView, DecisionPut, FeedbackArticle, FeedbackItem, FeedbackPut, FeedbackReport,
};
use crate::consultations::rules;
use crate::consultations::store::{self, answers, comments, ConsultationRow};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::platform::pii::field;
use crate::state::AppState;
use actix_web::{post, put, web};

/// A decision in words.
pub fn decision_name(d: Option<&str>) -> &'static str {
    match d {
        Some("adopted") => "采纳",
        Some("partly_adopted") => "部分采纳",
        Some("not_adopted") => "未采纳",
        _ => "",
    }
}

fn from_name(kind: &str) -> &'static str {
    match kind {
        "deputy" => "代表",
        "walk_in" => "基层立法联系点",
        _ => "群众",
    }
}

/// Mark a comment adopted, partly adopted or not adopted, with the reason (staff of its
/// congress, until the feedback is published). The deputy gets a notice; a constituent (or a
/// walk-in who left a phone) a text.
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), request_body = DecisionPut, responses((status = 200, body = CommentView), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/consultation-comments/{id}/decision")]
pub async fn decide(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<DecisionPut>,
) -> AppResult<web::Json<CommentView>> {
    let (id, now, b, st) = (id.into_inner(), state.now(), body.into_inner(), state.clone());
    let (v, wake) = db::tx(&state.db, move |c| {
        let cm = comments::get(c, id)?.ok_or_else(AppError::not_found)?;
        let (row, stand) = access::open(c, &p, cm.consultation_id, Action::Write)?;
        if stand != Stand::Staff {
            return Err(AppError::not_found());
        }
        let mut errs = vec![];
        if !rules::DECISIONS.contains(&b.decision.as_str()) {
            errs.push(crate::error::FieldError::new("decision", "invalid_value", rules::DECISIONS.join(", ")));
        }
        errs.extend(rules::comment_errors(&b.reason, None).into_iter().map(|mut e| {
            e.field = "reason".into();
            e
        }));
        if !errs.is_empty() {
            return Err(AppError::validation(errs));
        }
        if row.feedback_at.is_some() {
            return Err(AppError::conflict(Code::IllegalTransition, "the feedback is published"));
        }
        comments::decide(c, id, (&b.decision, b.reason.trim()), p.account_id, now)?;
        let told =
            format!("您对《{}》提出的意见：{}。{}", row.title, decision_name(Some(&b.decision)), b.reason.trim());
        let (s, mut wake) = (&st.settings, None);
        match (cm.deputy_id, cm.constituent_id, &cm.phone_sealed, cm.decision.is_some()) {
            (_, _, _, true) => {}
            (Some(d), ..) => {
                wake = Some(crate::notices::send_personal(c, d, "意见采纳情况", &told, now, s.tz, s.quiet_hours)?.1)
            }
            (None, Some(k), ..) => {
                let phone = crate::reception::constituent_phones(c, &st.pii, &[k])?.remove(&k).unwrap_or_default();
                let (who, dedup) = (format!("constituent:{k}"), format!("consultation-decision:{id}"));
                crate::sms::enqueue_milestone(c, &st.pii, (&phone, &who), &told, &dedup, now, (s.quiet_hours, s.tz))?;
            }
            (None, None, Some(sealed), _) => {
                let phone = st.pii.open(field::WALK_IN_COMMENT_PHONE, sealed)?;
                let dedup = format!("consultation-decision:{id}");
                let to = format!("walk-in:{id}");
                crate::sms::enqueue_milestone(c, &st.pii, (&phone, &to), &told, &dedup, now, (s.quiet_hours, s.tz))?;
            }
            _ => {}
        }
        crate::audit::Entry::by(&p, "consultation.decide", "consultation_comment", id.to_string())
            .region(Some(row.region_path.clone()))
            .write(c, now)?;
        let row = comments::get(c, id)?.ok_or_else(AppError::not_found)?;
        let v = super::comments::views(c, vec![row], Some(&st.pii))?.pop().ok_or_else(AppError::not_found)?;
        Ok((v, wake))
    })
    .await?;
    crate::live::announce(&state, &wake.into_iter().collect::<Vec<_>>()).await;
    Ok(web::Json(v))
}

/// The public feedback report of a consultation whose feedback is published.
pub fn report(c: &mut AnyConnection, row: &ConsultationRow) -> AppResult<FeedbackReport> {
    let (Some(summary), Some(at)) = (row.feedback.clone(), row.feedback_at) else {
        return Err(AppError::not_found());
    };
    let empty = FeedbackArticle {
        number: None,
        heading: "总体意见".into(),
        comments: 0,
        adopted: 0,
        partly_adopted: 0,
        not_adopted: 0,
        items: vec![],
    };
    let mut articles = vec![empty.clone()];
    for (number, heading, _) in store::articles(c, row.id)? {
        articles.push(FeedbackArticle { number: Some(number), heading, ..empty.clone() });
    }
    let all = comments::of_consultation(c, row.id)?;
    let total = all.len() as i64;
    for cm in all {
        let Some(a) = articles.iter_mut().find(|a| a.number == cm.article) else { continue };
        a.comments += 1;
        match cm.decision.as_deref() {
            Some("adopted") => a.adopted += 1,
            Some("partly_adopted") => a.partly_adopted += 1,
            Some("not_adopted") => a.not_adopted += 1,
            _ => {}
        }
        if matches!(cm.decision.as_deref(), Some("adopted" | "partly_adopted")) {
            a.items.push(FeedbackItem {
                from: from_name(&cm.author_kind).into(),
                decision: decision_name(cm.decision.as_deref()).into(),
                reason: cm.reason.unwrap_or_default(),
                text: cm.body,
                wording: cm.wording,
            });
        }
    }
    Ok(FeedbackReport {
        id: row.id,
        title: row.title.clone(),
        kind: row.kind.clone(),
        opens_at: utc(row.opens_at),
        closes_at: utc(row.closes_at),
        summary,
        published_at: utc(at),
        comments: total,
        respondents: answers::participant_count(c, row.id)?,
        articles,
    })
}

/// Publish the feedback report (采纳情况) after the close: the summary, with each article's
/// comments counted by decision and the adopted ones listed (staff of its congress; once).
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), request_body = FeedbackPut, responses((status = 200, body = FeedbackReport), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/consultations/{id}/feedback")]
pub async fn publish_feedback(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<FeedbackPut>,
) -> AppResult<web::Json<FeedbackReport>> {
    let (id, now, b) = (id.into_inner(), state.now(), body.into_inner());
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Write)?;
        if stand != Stand::Staff {
            return Err(AppError::forbidden(Code::Forbidden, "congress staff publish the feedback"));
        }
        if let Some(e) = rules::comment_errors(&b.summary, None).pop() {
            return Err(AppError::invalid_field("summary", &e.code, e.message));
        }
        if rules::status(&row.status, (row.opens_at, row.closes_at), false, now) != "closed" {
            return Err(AppError::conflict(Code::IllegalTransition, "the feedback follows the close"));
        }
        if !store::set_feedback(c, id, b.summary.trim(), now)? {
            return Err(AppError::conflict(Code::AlreadyPublished, "the feedback is published"));
        }
        crate::audit::Entry::by(&p, "consultation.feedback", "consultation", id.to_string())
            .region(Some(row.region_path.clone()))
            .write(c, now)?;
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        report(c, &row)
    })
    .await?;
    Ok(web::Json(v))
}
