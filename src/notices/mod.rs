//! Notices and briefing materials (会议通知, 学习资料, 情况通报): drafts, scheduled and immediate
//! publication to an audience resolved into one inbox row per deputy in bulk, read receipts,
//! RSVP with leave (approved leave excuses the deputy from the linked meeting), the staff view
//! with counts and the lists of who has not read or answered, reminders to the unread.

mod audience;
mod escalation;
mod model;
mod pushes;
mod routes;
mod rules;
mod service;
mod store;
use pushes::headline;
mod jobs;

pub use jobs::{publish_due, worker};

pub use pushes::record_pushes;

pub use routes::{register, register_hot};

pub use escalation::escalate_due;

pub use audience::{resolve as resolve_audience, Audience};
pub use routes::attachments::AttachmentView;
pub use service::{from_system as publish_from_system, personal as send_personal, publish_in};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::attachments::{insert as insert_attachment, NewAttachment};
    pub use super::store::{insert, NewNotice};
}
