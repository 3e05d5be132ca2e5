//! Answer shapes of a consultation's results for staff and of its public feedback report.

use super::CommentView;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A count with its share of the answers to the question (per mille, so 2 = 0.2 %).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Count {
    pub label: String,
    pub count: i64,
    pub permille: i64,
}

/// One group's counts for a question (a level or a region).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupCounts {
    pub group: String,
    pub answered: i64,
    pub counts: Vec<Count>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuestionResult {
    pub number: i32,
    pub kind: String,
    pub text: String,
    /// How many answered this question (the volume behind each share).
    pub answered: i64,
    /// Per choice (single, multiple) or per point of the scale.
    pub counts: Vec<Count>,
    /// The scale's mean ×100 (scale questions).
    pub mean_x100: Option<i64>,
    /// The free texts (text questions; the first 500).
    pub texts: Vec<String>,
    /// The same counts per group (`by=level|region`).
    pub groups: Vec<GroupCounts>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ArticleResult {
    /// None: general comments.
    pub number: Option<i32>,
    pub heading: String,
    pub body: String,
    pub comments: Vec<CommentView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConsultationResults {
    pub id: i64,
    pub title: String,
    pub status: String,
    /// Deputies reached, and how many of them commented or answered.
    pub reached: i64,
    pub deputies_took_part: i64,
    pub respondents: i64,
    /// An anonymous survey's answers held until 20 are in (or the close): counted among the
    /// respondents, not yet in the questions' counts.
    pub held: i64,
    pub comments: i64,
    pub articles: Vec<ArticleResult>,
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ResultsQuery {
    /// Cross-tabulate the questionnaire by `level` or `region`.
    pub by: Option<String>,
    /// json (default), csv or html (a printable report).
    pub format: Option<String>,
}

/// An article's line in the public feedback report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedbackArticle {
    pub number: Option<i32>,
    pub heading: String,
    pub comments: i64,
    pub adopted: i64,
    pub partly_adopted: i64,
    pub not_adopted: i64,
    /// The comments adopted in whole or in part, with the reasons (authors by kind only).
    pub items: Vec<FeedbackItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedbackItem {
    /// 代表, 群众 or 基层立法联系点.
    pub from: String,
    pub text: String,
    pub wording: Option<String>,
    pub decision: String,
    pub reason: String,
}

/// The public feedback report (采纳情况) of a closed consultation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedbackReport {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub comments: i64,
    pub respondents: i64,
    pub articles: Vec<FeedbackArticle>,
}

/// A consultation in a list.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConsultationBrief {
    pub id: i64,
    pub region_id: i64,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub public: bool,
    pub feedback_published: bool,
    /// Whether the calling deputy answered the questionnaire (deputies' lists).
    pub answered: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PublicQuery {
    /// The region whose congresses' consultations to list (with those above it).
    pub region_id: Option<i64>,
    /// Or a station's printed code: the congresses it lies under.
    pub station: Option<String>,
}
