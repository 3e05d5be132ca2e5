//! API types of notices and inboxes.

use super::audience::Audience;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn normal() -> String {
    "normal".into()
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeCreate {
    /// meeting, briefing, study, training or general.
    pub kind: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// normal or urgent.
    #[serde(default = "normal")]
    pub priority: String,
    /// Shown first in the inbox.
    #[serde(default)]
    pub pinned: bool,
    pub audience: Audience,
    /// Publish now (`true`) or keep a draft (`false`, the default). With `publish_at` in the
    /// future, publishing schedules it.
    #[serde(default)]
    pub publish: bool,
    pub publish_at: Option<DateTime<Utc>>,
    /// Hidden from inboxes afterwards.
    pub expires_at: Option<DateTime<Utc>>,
    /// Deputies answer attend or leave.
    #[serde(default)]
    pub rsvp_required: bool,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    /// Leave waits for staff approval (otherwise it is approved when given).
    #[serde(default)]
    pub leave_needs_approval: bool,
    /// The meeting this notice calls: approved leave makes the deputy excused there.
    pub event_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct NoticeStats {
    pub targeted: i64,
    /// Deputies at least one of whose devices was sent the notice.
    pub pushed: i64,
    /// Deputies whose push a provider accepted.
    pub acknowledged: i64,
    pub read: i64,
    pub attend: i64,
    pub leave: i64,
    pub leave_pending: i64,
    /// RSVP required and not answered.
    pub unanswered: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub region_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub priority: String,
    pub pinned: bool,
    pub audience: Audience,
    /// draft, scheduled, published or retracted.
    pub status: String,
    pub publish_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub rsvp_required: bool,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub leave_needs_approval: bool,
    pub event_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub stats: Option<NoticeStats>,
    /// With signed download links (in the single-notice view).
    #[serde(default)]
    pub attachments: Vec<super::routes::attachments::AttachmentView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InboxItem {
    pub notice_id: i64,
    pub kind: String,
    pub title: String,
    pub priority: String,
    pub pinned: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub rsvp_required: bool,
    pub rsvp_deadline: Option<DateTime<Utc>>,
    pub event_id: Option<i64>,
    /// The read receipt.
    pub read_at: Option<DateTime<Utc>>,
    /// attend or leave.
    pub rsvp: Option<String>,
    pub rsvp_reason: Option<String>,
    /// pending, approved or rejected (leave only).
    pub leave_status: Option<String>,
    /// The body (in the single-notice view only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Files with signed download links (in the single-notice view only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<super::routes::attachments::AttachmentView>>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct InboxQuery {
    /// Only unread notices.
    pub unread: Option<bool>,
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnreadCount {
    pub unread: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpRequest {
    /// attend or leave.
    pub answer: String,
    /// Why (required for leave).
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveDecision {
    pub approve: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Recipient {
    pub deputy_id: i64,
    pub name: String,
    pub read_at: Option<DateTime<Utc>>,
    pub rsvp: Option<String>,
    pub leave_status: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RecipientQuery {
    /// `unread`, `unanswered` or `leave_pending` (default: everyone).
    pub filter: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AudiencePreview {
    pub deputies: usize,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Reminded {
    /// Deputies reminded (those who have not read it).
    pub deputies: usize,
    /// Pushes queued to their devices.
    pub pushes: usize,
}
