//! Routes: a deputy studies a course — opens its materials (the server notes when), answers its
//! quiz (each attempt numbered: a retry or a double tap counts once), and completes it when
//! studied and passed (an offline course: when they attended its event). Completing earns the
//! rulebook's training points once.

use super::access::{self, Stand};
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::state::AppState;
use crate::training::model::{AttemptCreate, AttemptView, CourseView};
use crate::training::rules;
use crate::training::store::{self, CourseRow};
use actix_web::{post, web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};

fn deputy_of(stand: Stand) -> AppResult<i64> {
    match stand {
        Stand::Deputy(d) => Ok(d),
        Stand::Staff => Err(AppError::forbidden(Code::Forbidden, "deputies study courses")),
    }
}

fn check_open(row: &CourseRow, today: NaiveDate) -> AppResult<()> {
    match NaiveDate::parse_from_str(&row.closes_on, "%Y-%m-%d") {
        Ok(d) if d >= today => Ok(()),
        _ => Err(AppError::conflict(Code::CourseClosed, "the course has closed")),
    }
}

/// Completes the course for the deputy if they have done what it asks; answers whether it is
/// complete. A new completion earns the training points once.
fn finish(c: &mut AnyConnection, row: &CourseRow, deputy: i64, now: NaiveDateTime) -> AppResult<bool> {
    if store::completed_at(c, row.id, deputy)?.is_some() {
        return Ok(true);
    }
    let done = match (row.kind.as_str(), row.event_id) {
        // The event's attendance earned its own points already.
        ("offline", Some(e)) => {
            let went = crate::checkins::attended_event(c, e, deputy)?;
            if went {
                store::complete(c, row.id, deputy, now)?;
            }
            return Ok(went);
        }
        _ => {
            let p = access::progress(c, row, deputy, now)?;
            p.studied && (p.passed || store::questions(c, row.id)?.is_empty())
        }
    };
    if done && store::complete(c, row.id, deputy, now)? {
        let e = crate::ledger::PointEvent { deputy, kind: "course_completed", source: ("course", row.id), at: now };
        crate::ledger::note(c, e, now)?;
    }
    Ok(done)
}

/// Note that the deputy opened a material (the first opening starts its minimum time).
#[utoipa::path(tag = "training", params(("id" = i64, Path), ("n" = i32, Path)), responses((status = 200, body = CourseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/courses/{id}/materials/{n}/open")]
pub async fn open(
    state: web::Data<AppState>,
    p: Principal,
    path: web::Path<(i64, i32)>,
) -> AppResult<web::Json<CourseView>> {
    let ((id, n), now) = (path.into_inner(), state.now());
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id)?;
        let d = deputy_of(stand)?;
        if n < 0 || n as usize >= access::materials(&row).len() {
            return Err(AppError::not_found());
        }
        check_open(&row, today)?;
        store::open(c, id, d, n, now)?;
        access::view(c, row, stand, now)
    })
    .await?;
    Ok(web::Json(v))
}

/// Answer the course's quiz (deputies; 201 a new attempt, 200 the same attempt sent again; 409
/// `course_closed`, `attempts_used`, `already_decided` once passed, `already_exists` for the
/// same number with other answers).
#[utoipa::path(tag = "training", params(("id" = i64, Path)), request_body = AttemptCreate, responses((status = 201, body = AttemptView), (status = 200, body = AttemptView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/courses/{id}/attempts")]
pub async fn attempt(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<AttemptCreate>,
) -> AppResult<HttpResponse> {
    let (id, b, now) = (id.into_inner(), body.into_inner(), state.now());
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let (fresh, v) = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id)?;
        let d = deputy_of(stand)?;
        let key = access::key(c, id)?;
        if row.kind != "online" || key.is_empty() {
            return Err(AppError::conflict(Code::IllegalTransition, "the course has no quiz"));
        }
        if b.answers.len() != key.len() || b.answers.iter().any(|a| a.len() > 8) {
            return Err(AppError::invalid_field("answers", "invalid_value", "one list of chosen indices per question"));
        }
        let answers = serde_json::to_string(&b.answers).map_err(AppError::internal)?;
        let tries = store::attempts(c, id, d)?;
        let answer = |n: i32, score: i32, passed: bool, completed: bool| AttemptView {
            attempt: n,
            score,
            passed,
            completed,
            attempts_left: (row.max_attempts - n).max(0),
        };
        if let Some(t) = tries.iter().find(|t| t.0 == b.attempt) {
            if t.3 != answers {
                return Err(AppError::conflict(Code::AlreadyExists, "this attempt was answered otherwise"));
            }
            let done = store::completed_at(c, id, d)?.is_some();
            return Ok((false, answer(t.0, t.1, t.2, done)));
        }
        check_open(&row, today)?;
        if tries.iter().any(|t| t.2) {
            return Err(AppError::conflict(Code::AlreadyDecided, "the quiz is passed already"));
        }
        if tries.len() as i32 >= row.max_attempts {
            return Err(AppError::conflict(Code::AttemptsUsed, "no attempts left"));
        }
        if b.attempt != tries.len() as i32 + 1 {
            return Err(AppError::conflict(Code::IllegalTransition, "send the course's next_attempt"));
        }
        let score = rules::score(&key, &b.answers);
        let passed = score >= row.pass_mark;
        if !store::add_attempt(c, (id, d, b.attempt), (&answers, score, passed), now)? {
            // The same attempt, stored meanwhile by a concurrent request.
            let t =
                store::attempts(c, id, d)?.into_iter().find(|t| t.0 == b.attempt).ok_or_else(AppError::not_found)?;
            if t.3 != answers {
                return Err(AppError::conflict(Code::AlreadyExists, "this attempt was answered otherwise"));
            }
            let done = store::completed_at(c, id, d)?.is_some();
            return Ok((false, answer(t.0, t.1, t.2, done)));
        }
        let completed = passed && finish(c, &row, d, now)?;
        Ok((true, answer(b.attempt, score, passed, completed)))
    })
    .await?;
    Ok(if fresh { HttpResponse::Created().json(v) } else { HttpResponse::Ok().json(v) })
}

/// Complete the course (deputies: studied and passed, or an offline course's event attended;
/// 409 `course_incomplete` otherwise).
#[utoipa::path(tag = "training", params(("id" = i64, Path)), responses((status = 200, body = CourseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/courses/{id}/complete")]
pub async fn complete(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<CourseView>> {
    let (id, now) = (id.into_inner(), state.now());
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id)?;
        let d = deputy_of(stand)?;
        if !finish(c, &row, d, now)? {
            return Err(AppError::conflict(
                Code::CourseIncomplete,
                "study every material for its time and pass the quiz",
            ));
        }
        access::view(c, row, stand, now)
    })
    .await?;
    Ok(web::Json(v))
}
