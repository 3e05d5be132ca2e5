//! Routes: the questionnaire answered — once per person, replaced until the close; an anonymous
//! survey's answers kept without who gave them (participation recorded apart) and final.

use super::access::{self, Stand};
use super::comments::POINT_KIND;
use crate::auth::policy::Action;
use crate::auth::{Principal, Role};
use crate::consultations::model::{AnswerReceipt, AnswersPut};
use crate::consultations::rules;
use crate::consultations::store::answers::{self, NewAnswer};
use crate::consultations::store::ConsultationRow;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::state::AppState;
use actix_web::{put, web};
use rand::Rng;

/// Answers a constituent may send in a minute (each replaces the last).
const ANSWERS_PER_MINUTE: u64 = 10;

/// The level and region an answer is counted under: a deputy's seat in the consultation's
/// congress (or below), `public` for a constituent. An anonymous answer keeps the level only.
fn counted_under(c: &mut AnyConnection, row: &ConsultationRow, stand: Stand) -> AppResult<(String, Option<String>)> {
    let Stand::Deputy(d) = stand else { return Ok(("public".into(), None)) };
    let seats = crate::org::deputy_scopes(c, &[d])?.remove(&d).unwrap_or_default();
    let seat = seats
        .iter()
        .filter(|s| s.status == "active")
        .find(|s| s.path.starts_with(&row.region_path))
        .or_else(|| seats.iter().find(|s| s.status == "active"));
    Ok(match seat {
        Some(s) => (s.level.clone(), (!row.anonymous).then(|| s.path.clone())),
        None => ("other".into(), None),
    })
}

/// Answer the questionnaire (the whole of it each time): deputies reached, and signed-in
/// constituents when public. Sending again before the close replaces the answer; an anonymous
/// survey takes one answer per person (409 `already_answered`).
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), request_body = AnswersPut, responses((status = 200, body = AnswerReceipt), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/consultations/{id}/answers")]
pub async fn answer(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<AnswersPut>,
) -> AppResult<web::Json<AnswerReceipt>> {
    if !matches!(p.role, Role::Deputy | Role::Constituent) {
        return Err(AppError::forbidden(Code::Forbidden, "deputies and constituents answer"));
    }
    if p.role == Role::Constituent {
        let key = format!("consultation-answer:{}", p.account_id);
        crate::platform::ratelimit::hit(&state.cache, &state.clock, &key, ANSWERS_PER_MINUTE, 60).await?;
    }
    let (id, now, b, pii) = (id.into_inner(), state.now(), body.into_inner(), state.pii.clone());
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Read)?;
        let Some(respondent) = stand.respondent() else {
            return Err(AppError::forbidden(Code::Forbidden, "deputies and constituents answer"));
        };
        access::in_window(&row, now)?;
        let questions = access::questions(c, id)?;
        if questions.is_empty() {
            return Err(AppError::invalid_field("answers", "invalid_value", "this consultation has no questionnaire"));
        }
        let kept = rules::check_answers(&questions, &b.answers).map_err(AppError::validation)?;
        let text = kept.to_string();
        let first = answers::take_part(c, id, &respondent)?;
        if first && row.anonymous {
            let (level, _) = counted_under(c, &row, stand)?;
            crate::consultations::held::hold(c, &pii, id, &level, &kept)?;
        } else if first {
            let (level, region) = counted_under(c, &row, stand)?;
            let key = hex::encode(rand::rng().random::<[u8; 16]>());
            let n = NewAnswer {
                key: &key,
                respondent: Some(&respondent),
                level: &level,
                region_path: region.as_deref(),
                answers: &text,
            };
            answers::insert(c, id, &n)?;
        } else if row.anonymous {
            return Err(AppError::conflict(Code::AlreadyAnswered, "an anonymous answer cannot be changed"));
        } else if !answers::replace(c, id, &respondent, &text)? {
            return Err(AppError::internal("a participant without an answer"));
        }
        if let Stand::Deputy(d) = stand {
            crate::ledger::note(
                c,
                crate::ledger::PointEvent { deputy: d, kind: POINT_KIND, source: ("consultation", id), at: now },
                now,
            )?;
        }
        Ok(AnswerReceipt { replaced: !first, answers: kept })
    })
    .await?;
    Ok(web::Json(v))
}
