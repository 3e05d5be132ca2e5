//! Request and answer shapes of consultations: the draft with its articles and questionnaire,
//! what deputies and constituents send, and what each of them sees.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

mod results;
pub use results::*;

/// A numbered article of the text put to consultation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// 1, 2, … in the order of the text (0: the text before the first article).
    #[serde(default)]
    pub number: i32,
    /// As written: 第三条, 二、 or 前言.
    pub heading: String,
    pub body: String,
}

/// A document to read beside the text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub title: String,
    /// An https address or a path of this server's files.
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// 1, 2, … (set by the server in order).
    #[serde(default)]
    pub number: i32,
    /// single, multiple, scale (1–5) or text.
    pub kind: String,
    pub text: String,
    /// The choices of a single or multiple choice question.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultationCreate {
    /// The congress; the caller's own by default.
    pub region_id: Option<i64>,
    pub title: String,
    /// law, regulation, budget, plan or other.
    pub kind: String,
    #[serde(default)]
    pub summary: String,
    /// The text pasted whole: split into articles at 第…条 (else at 一、二、 headings).
    pub text: Option<String>,
    /// The articles as edited (instead of `text`).
    #[serde(default)]
    pub articles: Vec<Article>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub questions: Vec<Question>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The deputies asked (the notices' audience expression).
    pub audience: crate::notices::Audience,
    /// Open to constituents through the reception room.
    #[serde(default)]
    pub public: bool,
    /// The questionnaire's answers kept without who gave them.
    #[serde(default)]
    pub anonymous: bool,
    /// Stations serving as grassroots legislative contact points (基层立法联系点).
    #[serde(default)]
    pub contact_points: Vec<i64>,
}

/// The articles of a draft, replaced while it is unpublished.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticlesPut {
    pub text: Option<String>,
    #[serde(default)]
    pub articles: Vec<Article>,
}

/// What the caller has sent (deputies and constituents).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Mine {
    pub comments: Vec<CommentView>,
    /// The questionnaire's answers (not shown for an anonymous survey).
    pub answers: Option<serde_json::Value>,
    pub answered: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConsultationView {
    pub id: i64,
    pub region_id: i64,
    pub title: String,
    pub kind: String,
    pub summary: String,
    /// draft, scheduled, open, closed or feedback_published.
    pub status: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub public: bool,
    pub anonymous: bool,
    pub articles: Vec<Article>,
    pub attachments: Vec<Attachment>,
    pub questions: Vec<Question>,
    pub contact_points: Vec<i64>,
    /// Staff only.
    pub audience: Option<crate::notices::Audience>,
    /// Deputies reached (staff, once published).
    pub reached: Option<i64>,
    pub notice_id: Option<i64>,
    pub mine: Option<Mine>,
    pub feedback: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentCreate {
    /// The article's number; none for a general comment.
    pub article: Option<i32>,
    pub text: String,
    /// The wording proposed instead.
    pub wording: Option<String>,
}

/// A walk-in's view entered by a contact point's staff.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInCommentCreate {
    pub station_id: i64,
    /// visit, phone, letter or meeting.
    pub channel: String,
    pub article: Option<i32>,
    pub text: String,
    pub wording: Option<String>,
    /// The constituent's phone, kept sealed, only with their consent.
    pub phone: Option<String>,
    #[serde(default)]
    pub consent: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub article: Option<i32>,
    /// deputy, constituent or walk_in.
    pub author_kind: String,
    /// A deputy's name; a constituent's masked phone; a walk-in's station and channel.
    pub author: String,
    pub text: String,
    pub wording: Option<String>,
    /// adopted, partly_adopted or not_adopted once decided.
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionPut {
    /// adopted, partly_adopted or not_adopted.
    pub decision: String,
    pub reason: String,
}

/// One answer to one question: `choice` (single), `choices` (multiple), `scale` (1–5) or `text`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerItem {
    pub question: i32,
    pub choice: Option<usize>,
    pub choices: Option<Vec<usize>>,
    pub scale: Option<i32>,
    pub text: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersPut {
    pub answers: Vec<AnswerItem>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnswerReceipt {
    /// Whether this replaced an earlier answer.
    pub replaced: bool,
    pub answers: serde_json::Value,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ConsultationQuery {
    /// The congress (staff; the caller's scope by default).
    pub region_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackPut {
    /// The summary of what was adopted and why (采纳情况说明).
    pub summary: String,
}
