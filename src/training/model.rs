//! Request and answer shapes of courses, their quizzes and the deputies' records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A document, a video or a web page to study.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub title: String,
    /// document, video or link.
    pub kind: String,
    /// An https address (or a path of this server's files).
    pub url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionCreate {
    /// single, multiple or true_false.
    pub kind: String,
    pub text: String,
    /// The choices (true_false: leave empty; 是/否 are used).
    #[serde(default)]
    pub options: Vec<String>,
    /// The indices of the right choices (true_false: [0] for true, [1] for false).
    pub answer: Vec<usize>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseCreate {
    /// The congress; the caller's own by default.
    pub region_id: Option<i64>,
    pub term: i32,
    pub title: String,
    /// offline (an existing training event) or online.
    pub kind: String,
    /// The training event of an offline course.
    pub event_id: Option<i64>,
    #[serde(default)]
    pub materials: Vec<Material>,
    /// How long each material must stay open (seconds, online; default 0).
    #[serde(default)]
    pub min_seconds: i32,
    /// Percent of the questions to answer right (default 60).
    pub pass_mark: Option<i32>,
    /// Quiz attempts allowed (default 3).
    pub max_attempts: Option<i32>,
    /// The last day to study and answer (YYYY-MM-DD).
    pub closes_on: String,
    /// Initial training (初任培训) for newly seated deputies.
    #[serde(default)]
    pub initial: bool,
    #[serde(default)]
    pub questions: Vec<QuestionCreate>,
}

/// A question as a deputy sees it (never its answer).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuestionView {
    pub kind: String,
    pub text: String,
    pub options: Vec<String>,
}

/// Where the calling deputy stands in a course.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Progress {
    /// Materials opened, by index, with when.
    pub opened: Vec<Option<DateTime<Utc>>>,
    /// Whether every material has been open for the minimum time.
    pub studied: bool,
    pub attempts_used: i32,
    /// The number to send with the next quiz attempt.
    pub next_attempt: i32,
    pub best_score: Option<i32>,
    pub passed: bool,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CourseView {
    pub id: i64,
    pub region_id: i64,
    pub term: i32,
    pub title: String,
    pub kind: String,
    pub event_id: Option<i64>,
    pub materials: Vec<Material>,
    pub min_seconds: i32,
    pub pass_mark: i32,
    pub max_attempts: i32,
    pub closes_on: String,
    pub initial: bool,
    pub questions: Vec<QuestionView>,
    /// The calling deputy's progress (deputies only).
    pub progress: Option<Progress>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptCreate {
    /// The attempt answered: `next_attempt` of the course's progress. Sending the same number
    /// twice (a retry, a double tap) counts once.
    pub attempt: i32,
    /// For each question, the indices chosen.
    pub answers: Vec<Vec<usize>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttemptView {
    pub attempt: i32,
    /// Percent right.
    pub score: i32,
    pub passed: bool,
    /// Whether the course is now complete (studied and passed).
    pub completed: bool,
    pub attempts_left: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CourseQuery {
    /// The congress (staff; the caller's own by default).
    pub region_id: Option<i64>,
    pub term: Option<i32>,
}

/// A deputy's record in a course, as staff see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CourseRecord {
    pub deputy_id: i64,
    pub name: String,
    pub materials_opened: i64,
    pub attempts: i64,
    pub best_score: Option<i32>,
    pub completed_at: Option<DateTime<Utc>>,
}
