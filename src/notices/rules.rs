//! Pure rules of notices: what a well-formed notice is, and what an RSVP may say when.

use super::model::NoticeCreate;
use crate::error::FieldError;
use chrono::{DateTime, Utc};

pub const KINDS: [&str; 5] = ["meeting", "briefing", "study", "training", "general"];

pub fn check(b: &NoticeCreate, now: DateTime<Utc>) -> Vec<FieldError> {
    let mut e = vec![];
    if !KINDS.contains(&b.kind.as_str()) {
        e.push(FieldError::new("kind", "invalid_value", KINDS.join(", ")));
    }
    if !["normal", "urgent"].contains(&b.priority.as_str()) {
        e.push(FieldError::new("priority", "invalid_value", "normal or urgent"));
    }
    e.extend(crate::org::rules::required_text("title", &b.title, 200));
    if b.body.chars().count() > 20_000 {
        e.push(FieldError::new("body", "too_long", "at most 20,000 characters"));
    }
    if let (Some(p), Some(x)) = (b.publish_at, b.expires_at) {
        if x <= p {
            e.push(FieldError::new("expires_at", "invalid_range", "a notice expires after it is published"));
        }
    }
    if b.expires_at.is_some_and(|x| x <= now) {
        e.push(FieldError::new("expires_at", "in_the_past", "already expired"));
    }
    match (b.rsvp_required, b.rsvp_deadline) {
        (true, None) => e.push(FieldError::new("rsvp_deadline", "required", "an RSVP needs a deadline")),
        (true, Some(d)) if d <= now => {
            e.push(FieldError::new("rsvp_deadline", "in_the_past", "the deadline has passed"))
        }
        (false, Some(_)) => {
            e.push(FieldError::new("rsvp_deadline", "rsvp_not_required", "a deadline only goes with rsvp_required"))
        }
        _ => {}
    }
    if b.event_id.is_some() && b.kind != "meeting" && b.kind != "training" {
        e.push(FieldError::new("event_id", "invalid_value", "only meeting and training notices call an event"));
    }
    e
}

/// The leave status an RSVP starts with.
pub fn leave_status(answer: &str, needs_approval: bool) -> Option<&'static str> {
    match (answer, needs_approval) {
        ("leave", true) => Some("pending"),
        ("leave", false) => Some("approved"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leave_waits_for_approval_only_when_asked() {
        assert_eq!(leave_status("leave", true), Some("pending"));
        assert_eq!(leave_status("leave", false), Some("approved"));
        assert_eq!(leave_status("attend", true), None);
    }
}
