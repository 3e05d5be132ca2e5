//! Who may see a consultation — staff whose scope holds its congress, deputies its audience
//! reached, constituents when it is public, staff of its contact points — and the view each
//! gets. Anyone else is told it does not exist (404).

use crate::auth::policy::{self, Action};
use crate::auth::{Principal, Role};
use crate::consultations::model::{Article, Attachment, ConsultationView, Mine, Question};
use crate::consultations::rules;
use crate::consultations::store::{self, answers, comments, ConsultationRow};
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use chrono::NaiveDateTime;

/// How the caller stands to a consultation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stand {
    Staff,
    Deputy(i64),
    Constituent(i64),
    /// Staff of a station that is one of its contact points.
    Point,
    /// Anyone, without signing in (a public consultation's text).
    Public,
}

impl Stand {
    /// The key the questionnaire's participation is kept under.
    pub fn respondent(self) -> Option<String> {
        match self {
            Stand::Deputy(d) => Some(format!("d:{d}")),
            Stand::Constituent(k) => Some(format!("c:{k}")),
            _ => None,
        }
    }
}

/// The consultation and how the caller stands to it (404 for anyone else).
pub fn open(c: &mut AnyConnection, p: &Principal, id: i64, action: Action) -> AppResult<(ConsultationRow, Stand)> {
    let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    if policy::staff_over(p, &row.region_path, action) {
        return Ok((row, Stand::Staff));
    }
    if row.status == "draft" {
        return Err(AppError::not_found());
    }
    match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) if store::reached(c, id, d)? => return Ok((row, Stand::Deputy(d))),
        (Role::Constituent, _) if row.public => {
            let k = crate::reception::constituent_of(c, p)?;
            return Ok((row, Stand::Constituent(k)));
        }
        (Role::StationStaff, _) if store::points(c, id)?.iter().any(|s| p.stations.contains(s)) => {
            return Ok((row, Stand::Point))
        }
        _ => {}
    }
    Err(AppError::not_found())
}

/// Refuses an answer or a comment outside the window (409).
pub fn in_window(row: &ConsultationRow, now: NaiveDateTime) -> AppResult<()> {
    match rules::status(&row.status, (row.opens_at, row.closes_at), row.feedback_at.is_some(), now) {
        "open" => Ok(()),
        "scheduled" => Err(AppError::conflict(Code::ConsultationClosed, "the consultation has not opened yet")),
        _ => Err(AppError::conflict(Code::ConsultationClosed, "the consultation is closed")),
    }
}

pub fn questions(c: &mut AnyConnection, id: i64) -> AppResult<Vec<Question>> {
    Ok(store::questions(c, id)?
        .into_iter()
        .map(|(number, kind, text, options, required)| Question {
            number,
            kind,
            text,
            options: serde_json::from_str(&options).unwrap_or_default(),
            required,
        })
        .collect())
}

pub fn articles(c: &mut AnyConnection, id: i64) -> AppResult<Vec<Article>> {
    Ok(store::articles(c, id)?.into_iter().map(|(number, heading, body)| Article { number, heading, body }).collect())
}

/// What the caller sent: their comments with the decisions, and their answers (not for an
/// anonymous survey: those are kept without them).
fn mine(c: &mut AnyConnection, row: &ConsultationRow, stand: Stand) -> AppResult<Option<Mine>> {
    let (deputy, constituent) = match stand {
        Stand::Deputy(d) => (Some(d), None),
        Stand::Constituent(k) => (None, Some(k)),
        _ => return Ok(None),
    };
    let own = comments::mine(c, row.id, deputy, constituent)?;
    let comments = super::comments::views(c, own, None)?;
    let key = stand.respondent().unwrap_or_default();
    let answers = if row.anonymous { None } else { answers::of(c, row.id, &key)?.map(|a| rules::decode(&a)) };
    Ok(Some(Mine { comments, answered: answers::took_part(c, row.id, &key)?, answers }))
}

/// The consultation as the caller sees it.
pub fn view(
    c: &mut AnyConnection,
    row: ConsultationRow,
    stand: Stand,
    now: NaiveDateTime,
) -> AppResult<ConsultationView> {
    let staff = stand == Stand::Staff;
    let status = rules::status(&row.status, (row.opens_at, row.closes_at), row.feedback_at.is_some(), now);
    let reached = if staff && row.status != "draft" { Some(store::audience_size(c, row.id)?) } else { None };
    Ok(ConsultationView {
        id: row.id,
        region_id: row.region_id,
        status: status.into(),
        opens_at: utc(row.opens_at),
        closes_at: utc(row.closes_at),
        public: row.public,
        anonymous: row.anonymous,
        articles: articles(c, row.id)?,
        attachments: serde_json::from_str::<Vec<Attachment>>(&row.attachments).unwrap_or_default(),
        questions: questions(c, row.id)?,
        contact_points: store::points(c, row.id)?,
        audience: if staff { serde_json::from_str(&row.audience).ok() } else { None },
        reached,
        notice_id: row.notice_id,
        mine: mine(c, &row, stand)?,
        feedback: row.feedback.clone(),
        created_at: utc(row.created_at),
        title: row.title,
        kind: row.kind,
        summary: row.summary,
    })
}
