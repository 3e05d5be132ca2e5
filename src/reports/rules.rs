//! Pure rules of duty reports (述职评议): the states and the steps between them, which states
//! leave the text open, the verdicts a rating may give, the session's window, and the results
//! with the unsatisfied share that flags a report for a talk (约谈).

use chrono::{Duration, NaiveDateTime};

/// The three verdicts, as the rating form offers them.
pub const VERDICTS: [&str; 3] = ["satisfied", "basically_satisfied", "unsatisfied"];
/// The longest report text, in characters.
pub const MAX_BODY: usize = 20_000;
/// The longest comment with a rating, in characters.
pub const MAX_COMMENT: usize = 500;
/// How long after the session ends ratings are still taken.
pub const GRACE_MINUTES: i64 = 30;
/// Above this share of unsatisfied ratings a report is flagged for a talk.
pub const FLAG_SHARE: f64 = 0.5;

/// The state a step leads to from `status` (None: not allowed from there). Deputies submit;
/// staff return, approve, deliver (after the session) and publish.
pub fn next(status: &str, step: &str) -> Option<&'static str> {
    Some(match (status, step) {
        ("draft" | "returned", "submit") => "submitted",
        ("submitted", "return") => "returned",
        ("submitted", "approve") => "approved",
        ("approved", "deliver") => "delivered",
        ("delivered", "publish") => "published",
        _ => return None,
    })
}

/// Whether the deputy may still change the text (until approval).
pub fn text_open(status: &str) -> bool {
    matches!(status, "draft" | "returned" | "submitted")
}

/// Whether a rating at `now` falls in the session: from its start to its end plus the grace.
pub fn in_session(starts: NaiveDateTime, ends: NaiveDateTime, now: NaiveDateTime) -> bool {
    now >= starts && now <= ends + Duration::minutes(GRACE_MINUTES)
}

/// The ratings of a report, by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub unsatisfied: i64,
}

impl Tally {
    pub fn from_counts(rows: &[(String, i64)]) -> Tally {
        let mut t = Tally::default();
        for (verdict, n) in rows {
            match verdict.as_str() {
                "satisfied" => t.satisfied += n,
                "basically_satisfied" => t.basically_satisfied += n,
                "unsatisfied" => t.unsatisfied += n,
                _ => {}
            }
        }
        t
    }

    pub fn total(&self) -> i64 {
        self.satisfied + self.basically_satisfied + self.unsatisfied
    }

    /// `n` as a share of all ratings (None without any).
    pub fn share(&self, n: i64) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| (n as f64 / total as f64 * 1000.0).round() / 1000.0)
    }

    /// Whether more than `threshold` of the ratings are unsatisfied.
    pub fn flagged(&self, threshold: f64) -> bool {
        self.total() > 0 && self.unsatisfied as f64 / self.total() as f64 > threshold
    }
}

/// The region a congress's path names (its last id); `None` for the installation's `/`.
pub fn region_of(path: &str) -> Option<i64> {
    path.trim_matches('/').rsplit('/').next().and_then(|s| s.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_states_and_the_text_closes_at_approval() {
        assert_eq!(next("draft", "submit"), Some("submitted"));
        assert_eq!(next("returned", "submit"), Some("submitted"));
        assert_eq!(next("submitted", "approve"), Some("approved"));
        assert_eq!(next("draft", "approve"), None);
        assert_eq!(next("approved", "publish"), None);
        assert_eq!(next("delivered", "publish"), Some("published"));
        assert!(text_open("submitted") && !text_open("approved"));
    }

    #[test]
    fn the_session_window_has_a_grace_and_more_than_half_unsatisfied_flags() {
        let at = |m: i64| chrono::DateTime::from_timestamp(m * 60, 0).map(|t| t.naive_utc()).unwrap_or_default();
        assert!(in_session(at(0), at(60), at(0)) && in_session(at(0), at(60), at(90)));
        assert!(!in_session(at(0), at(60), at(91)) && !in_session(at(10), at(60), at(9)));
        let t = Tally::from_counts(&[("satisfied".into(), 2), ("unsatisfied".into(), 2)]);
        assert_eq!((t.total(), t.share(2)), (4, Some(0.5)));
        assert!(!t.flagged(FLAG_SHARE));
        let t = Tally { unsatisfied: 3, satisfied: 2, basically_satisfied: 0 };
        assert!(t.flagged(FLAG_SHARE));
        assert_eq!(Tally::default().share(0), None);
    }
}
