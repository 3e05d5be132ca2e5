//! Pure rules of suggestions: what a filing may carry, its number, and its life — which change
//! of state each kind of actor may make from where.

use crate::error::FieldError;

pub const CATEGORIES: [&str; 9] = [
    "economy",
    "urban_construction",
    "transport",
    "education",
    "health",
    "social_security",
    "environment",
    "agriculture",
    "other",
];
pub const PERIODS: [&str; 2] = ["session", "recess"];
pub const CLASSIFICATIONS: [&str; 3] = ["A", "B", "C"];
pub const CHANNELS: [&str; 3] = ["phone", "visit", "meeting"];
pub const SATISFACTION: [&str; 3] = ["satisfied", "basically_satisfied", "unsatisfied"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Submit,
    Withdraw,
    Accept,
    Return,
    Convert,
    Assign,
    Reply,
    Evaluate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Author,
    Staff,
    Unit,
}

/// The state an action leads to from `from`, when this actor may take it there.
pub fn next(from: &str, action: Action, actor: Actor) -> Option<&'static str> {
    use Action::*;
    use Actor::*;
    match (from, action, actor) {
        ("draft" | "returned", Submit, Author) => Some("submitted"),
        ("draft" | "returned" | "submitted" | "accepted", Withdraw, Author) => Some("withdrawn"),
        ("submitted", Accept, Staff) => Some("accepted"),
        ("submitted", Return, Staff) => Some("returned"),
        ("submitted" | "accepted", Convert, Staff) => Some("converted"),
        ("accepted", Assign, Staff) => Some("assigned"),
        ("assigned", Reply, Unit) => Some("replied"),
        ("replied", Evaluate, Author) => Some("evaluated"),
        _ => None,
    }
}

/// Where an evaluation leaves the suggestion: unsatisfied the first time sends it back to the
/// units for a second round; anything else ends it.
pub fn after_evaluation(satisfaction: &str, round: i32) -> &'static str {
    if satisfaction == "unsatisfied" && round < 2 {
        "assigned"
    } else {
        "evaluated"
    }
}

/// `JY2026-000123`: the year it was first submitted and its id.
pub fn number(year: i32, id: i64) -> String {
    format!("JY{year}-{id:06}")
}

pub fn check(title: &str, content: &str, category: &str, period: &str) -> Vec<FieldError> {
    let mut e = vec![];
    e.extend(crate::org::rules::required_text("title", title, 200));
    if content.trim().is_empty() {
        e.push(FieldError::new("content", "required", "say what is suggested and why"));
    } else if content.chars().count() > 20_000 {
        e.push(FieldError::new("content", "too_long", "at most 20,000 characters"));
    }
    if !CATEGORIES.contains(&category) {
        e.push(FieldError::new("category", "invalid_value", CATEGORIES.join(", ")));
    }
    if !PERIODS.contains(&period) {
        e.push(FieldError::new("period", "invalid_value", "session or recess"));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_goes_from_draft_to_evaluation() {
        let path = [
            ("draft", Action::Submit, Actor::Author, "submitted"),
            ("submitted", Action::Accept, Actor::Staff, "accepted"),
            ("accepted", Action::Assign, Actor::Staff, "assigned"),
            ("assigned", Action::Reply, Actor::Unit, "replied"),
            ("replied", Action::Evaluate, Actor::Author, "evaluated"),
        ];
        for (from, a, who, to) in path {
            assert_eq!(next(from, a, who), Some(to), "{from} {a:?}");
        }
    }

    #[test]
    fn withdrawal_ends_at_assignment_and_nobody_takes_anothers_part() {
        assert_eq!(next("accepted", Action::Withdraw, Actor::Author), Some("withdrawn"));
        assert_eq!(next("assigned", Action::Withdraw, Actor::Author), None);
        assert_eq!(next("assigned", Action::Reply, Actor::Staff), None);
        assert_eq!(next("replied", Action::Evaluate, Actor::Staff), None);
        assert_eq!(next("returned", Action::Submit, Actor::Author), Some("submitted"));
    }

    #[test]
    fn an_unsatisfied_first_evaluation_sends_it_back_once() {
        assert_eq!(after_evaluation("unsatisfied", 1), "assigned");
        assert_eq!(after_evaluation("unsatisfied", 2), "evaluated");
        assert_eq!(after_evaluation("satisfied", 1), "evaluated");
        assert_eq!(number(2026, 123), "JY2026-000123");
    }
}
