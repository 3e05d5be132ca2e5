//! Pure rules of fixed contacts: what a contact and a visit must hold, when the next visit is
//! due.

use crate::error::FieldError;
use chrono::NaiveDate;

/// How a person may have consented.
pub const CONSENT: [&str; 3] = ["written", "verbal", "sms"];
/// Channels of a visit.
pub const CHANNELS: [&str; 4] = ["visit", "phone", "meeting", "online"];
pub const MAX_TEXT: usize = 2_000;
/// A deputy's active fixed contacts at most.
pub const MAX_CONTACTS: i64 = 200;

/// A date YYYY-MM-DD not after `today` and not before `first`; the error code otherwise.
pub fn check_date(s: &str, today: NaiveDate, first: Option<NaiveDate>) -> Result<NaiveDate, &'static str> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "invalid_value")?;
    if d > today {
        return Err("in_future");
    }
    if first.is_some_and(|f| d < f) {
        return Err("before_consent");
    }
    Ok(d)
}

/// The field errors of a new contact's text (the phone and consent are checked apart).
pub fn check_contact(name: &str, community: &str, every_days: i32) -> Vec<FieldError> {
    let mut e: Vec<FieldError> = vec![];
    e.extend(crate::org::rules::required_text("name", name, 50));
    e.extend(crate::org::rules::required_text("community", community, 100));
    if !(7..=366).contains(&every_days) {
        e.push(FieldError::new("every_days", "out_of_range", "from 7 to 366 days"));
    }
    if [name, community].iter().any(|t| t.contains('\0')) {
        e.push(FieldError::new("name", "invalid_value", "no NUL characters"));
    }
    e
}

/// The field errors of a visit's text.
pub fn check_visit(channel: &str, summary: &str, issues: &str) -> Vec<FieldError> {
    let mut e: Vec<FieldError> = crate::org::rules::required_text("summary", summary, MAX_TEXT).into_iter().collect();
    if issues.chars().count() > MAX_TEXT {
        e.push(FieldError::new("issues", "too_long", "at most 2,000 characters"));
    }
    if !CHANNELS.contains(&channel) {
        e.push(FieldError::new("channel", "invalid_value", "visit, phone, meeting or online"));
    }
    if [channel, summary, issues].iter().any(|t| t.contains('\0')) {
        e.push(FieldError::new("summary", "invalid_value", "no NUL characters"));
    }
    e
}

/// When the next visit is due: `every_days` after the last visit, else after the consent.
pub fn due_on(last_visit: Option<NaiveDate>, consent: NaiveDate, every_days: i32) -> NaiveDate {
    last_visit.unwrap_or(consent) + chrono::Duration::days(i64::from(every_days))
}

/// Parses a stored date (YYYY-MM-DD).
pub fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        day(s).unwrap()
    }

    #[test]
    fn the_next_visit_runs_from_the_last_one_else_the_consent() {
        assert_eq!(due_on(None, d("2026-01-01"), 30), d("2026-01-31"));
        assert_eq!(due_on(Some(d("2026-03-01")), d("2026-01-01"), 30), d("2026-03-31"));
    }

    #[test]
    fn visits_are_neither_in_the_future_nor_before_the_consent() {
        let today = d("2026-06-01");
        assert_eq!(check_date("2026-06-02", today, None), Err("in_future"));
        assert_eq!(check_date("2026-01-01", today, Some(d("2026-02-01"))), Err("before_consent"));
        assert_eq!(check_date("06/01/2026", today, None), Err("invalid_value"));
        assert!(check_date("2026-06-01", today, Some(d("2026-02-01"))).is_ok());
    }

    #[test]
    fn a_contact_needs_a_name_a_community_and_a_sane_frequency() {
        assert!(check_contact("王", "东村", 30).is_empty());
        assert_eq!(check_contact("", "东村", 3).len(), 2);
    }
}
