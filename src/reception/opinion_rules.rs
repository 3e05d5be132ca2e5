//! Pure rules of opinions: what a submission may carry, ticket numbers, and the life of a case —
//! which change of state each kind of actor may make from where.

use crate::error::FieldError;

pub const CATEGORIES: [&str; 10] =
    ["urban_construction", "transport", "education", "health", "social_security", "environment", "public_safety", "economy", "agriculture", "other"];

/// What may happen to an opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Reject,
    Answer,
    Forward,
    Reply,
    Close,
    Rate,
    Withdraw,
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Constituent,
    Deputy,
    Staff,
    Unit,
}

/// The state an action leads to from `from`, when this actor may take it there.
pub fn next(from: &str, action: Action, actor: Actor) -> Option<&'static str> {
    use Action::*;
    use Actor::*;
    match (from, action, actor) {
        ("submitted", Accept, Staff) => Some("accepted"),
        ("submitted" | "accepted", Reject, Staff) => Some("rejected"),
        ("submitted" | "accepted", Withdraw, Constituent) => Some("withdrawn"),
        ("submitted" | "accepted", Answer, Deputy) => Some("answered"),
        ("accepted" | "answered", Forward, Staff) => Some("forwarded"),
        ("forwarded", Reply, Unit) => Some("replied"),
        ("answered" | "replied", Close, Staff | Deputy) => Some("closed"),
        ("closed", Rate, Constituent) => Some("rated"),
        _ => None,
    }
}

/// `YYYYMMDD-NNNNNN`: the congress calendar day and that day's sequence.
pub fn ticket(day: chrono::NaiveDate, seq: i64) -> String {
    format!("{}-{seq:06}", day.format("%Y%m%d"))
}

/// Photo URLs: at most 9, https only.
pub fn check(category: &str, title: &str, content: &str, photos: &[String], position: (Option<f64>, Option<f64>)) -> Vec<FieldError> {
    let mut e = vec![];
    if !CATEGORIES.contains(&category) {
        e.push(FieldError::new("category", "invalid_value", CATEGORIES.join(", ")));
    }
    e.extend(crate::org::rules::required_text("title", title, 100));
    if content.trim().is_empty() {
        e.push(FieldError::new("content", "required", "say what the matter is"));
    } else if content.chars().count() > 5000 {
        e.push(FieldError::new("content", "too_long", "at most 5,000 characters"));
    }
    if photos.len() > 9 || photos.iter().any(|p| !p.starts_with("https://") || p.len() > 1000) {
        e.push(FieldError::new("photo_urls", "invalid_value", "at most 9 https URLs"));
    }
    match position {
        (Some(lat), Some(lon)) if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) => {
            e.push(FieldError::new("latitude", "invalid_range", "a WGS-84 position"))
        }
        (Some(_), None) | (None, Some(_)) => e.push(FieldError::new("longitude", "required", "latitude and longitude go together")),
        _ => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_goes_from_submission_to_a_rating() {
        let path = [
            ("submitted", Action::Accept, Actor::Staff, "accepted"),
            ("accepted", Action::Forward, Actor::Staff, "forwarded"),
            ("forwarded", Action::Reply, Actor::Unit, "replied"),
            ("replied", Action::Close, Actor::Staff, "closed"),
            ("closed", Action::Rate, Actor::Constituent, "rated"),
        ];
        for (from, a, who, to) in path {
            assert_eq!(next(from, a, who), Some(to), "{from} {a:?}");
        }
        assert_eq!(next("submitted", Action::Answer, Actor::Deputy), Some("answered"));
    }

    #[test]
    fn nobody_skips_a_step_or_takes_anothers_part() {
        assert_eq!(next("submitted", Action::Reply, Actor::Unit), None);
        assert_eq!(next("forwarded", Action::Withdraw, Actor::Constituent), None);
        assert_eq!(next("submitted", Action::Accept, Actor::Deputy), None);
        assert_eq!(next("rated", Action::Rate, Actor::Constituent), None);
        assert_eq!(next("withdrawn", Action::Withdraw, Actor::Constituent), None);
    }

    #[test]
    fn tickets_carry_the_day_and_sequence() {
        assert_eq!(ticket(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), 123), "20261123-000123");
    }

    #[test]
    fn submissions_are_checked() {
        assert!(check("transport", "路灯不亮", "晚上很黑", &[], (None, None)).is_empty());
        assert_eq!(check("transport", "t", &"长".repeat(5001), &[], (None, None))[0].code, "too_long");
        assert_eq!(check("weather", "t", "c", &[], (None, None))[0].field, "category");
        assert_eq!(check("other", "t", "c", &["http://x".into()], (None, None))[0].field, "photo_urls");
        assert_eq!(check("other", "t", "c", &[], (Some(31.8), None))[0].field, "longitude");
    }
}
