//! Who may see a course — congress staff whose scope holds it, and deputies seated in its
//! congress or one below — and the course's view with the calling deputy's progress.

use crate::auth::policy::{self, Action};
use crate::auth::{Principal, Role};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::training::model::{CourseView, Material, Progress, QuestionView};
use crate::training::rules;
use crate::training::store::{self, CourseRow};
use chrono::NaiveDateTime;

/// How the caller stands to a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stand {
    Staff,
    Deputy(i64),
}

/// The paths of the active seats of a deputy.
pub fn seat_paths(c: &mut AnyConnection, deputy: i64) -> AppResult<Vec<String>> {
    Ok(crate::org::deputy_scopes(c, &[deputy])?
        .remove(&deputy)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.status == "active")
        .map(|s| s.path)
        .collect())
}

/// The course and how the caller stands to it (404 for anyone else).
pub fn open(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(CourseRow, Stand)> {
    let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    if policy::staff_over(p, &row.region_path, Action::Read) {
        return Ok((row, Stand::Staff));
    }
    if let (Role::Deputy, Some(d)) = (p.role, p.deputy_id) {
        if seat_paths(c, d)?.iter().any(|s| s.starts_with(&row.region_path)) {
            return Ok((row, Stand::Deputy(d)));
        }
    }
    Err(AppError::not_found())
}

pub fn materials(row: &CourseRow) -> Vec<Material> {
    serde_json::from_str(&row.materials).unwrap_or_default()
}

/// The answer key: the right indices of each question.
pub fn key(c: &mut AnyConnection, course: i64) -> AppResult<Vec<Vec<usize>>> {
    Ok(store::questions(c, course)?.into_iter().map(|q| serde_json::from_str(&q.3).unwrap_or_default()).collect())
}

/// The deputy's progress in the course at `now`.
pub fn progress(c: &mut AnyConnection, row: &CourseRow, deputy: i64, now: NaiveDateTime) -> AppResult<Progress> {
    let opens = store::opens(c, row.id, deputy)?;
    let opened: Vec<Option<NaiveDateTime>> = (0..materials(row).len() as i32).map(|i| opens.get(&i).copied()).collect();
    let tries = store::attempts(c, row.id, deputy)?;
    Ok(Progress {
        studied: rules::studied(&opened, row.min_seconds, now),
        opened: opened.into_iter().map(|o| o.map(crate::db::utc)).collect(),
        attempts_used: tries.len() as i32,
        next_attempt: tries.len() as i32 + 1,
        best_score: tries.iter().map(|t| t.1).max(),
        passed: tries.iter().any(|t| t.2),
        completed_at: store::completed_at(c, row.id, deputy)?.map(crate::db::utc),
    })
}

/// The course as the caller sees it (questions without their answers).
pub fn view(c: &mut AnyConnection, row: CourseRow, stand: Stand, now: NaiveDateTime) -> AppResult<CourseView> {
    let questions = store::questions(c, row.id)?
        .into_iter()
        .map(|(kind, text, options, _)| QuestionView {
            kind,
            text,
            options: serde_json::from_str(&options).unwrap_or_default(),
        })
        .collect();
    let progress = match stand {
        Stand::Deputy(d) => Some(progress(c, &row, d, now)?),
        Stand::Staff => None,
    };
    Ok(CourseView {
        id: row.id,
        region_id: row.region_id,
        term: row.term,
        materials: materials(&row),
        title: row.title,
        kind: row.kind,
        event_id: row.event_id,
        min_seconds: row.min_seconds,
        pass_mark: row.pass_mark,
        max_attempts: row.max_attempts,
        closes_on: row.closes_on,
        initial: row.initial,
        questions,
        progress,
        created_at: crate::db::utc(row.created_at),
    })
}
