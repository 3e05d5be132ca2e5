//! Pure checks of a rule version before it is stored: its code, texts, category, points, caps
//! and the days it is in force.

use crate::error::FieldError;
use crate::ledger::model::RuleCreate;

pub const CATEGORIES: [&str; 9] = [
    "base",
    "meeting",
    "suggestion",
    "station_reception",
    "activity",
    "training",
    "inspection",
    "online_duty",
    "penalty",
];

pub fn check(b: &RuleCreate) -> Vec<FieldError> {
    let mut e = vec![];
    if b.code.is_empty()
        || b.code.len() > 40
        || !b.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        e.push(FieldError::new("code", "invalid_code", "lowercase letters, digits and _"));
    }
    e.extend(crate::org::rules::required_text("name", &b.name, 100));
    e.extend(crate::org::rules::required_text("clause", &b.clause, 40));
    if !CATEGORIES.contains(&b.category.as_str()) {
        e.push(FieldError::new("category", "invalid_value", CATEGORIES.join(", ")));
    }
    if !(-100..=100).contains(&b.points) {
        e.push(FieldError::new("points", "out_of_range", "-100..100"));
    }
    if b.yearly_cap.is_some_and(|c| c < 0) {
        e.push(FieldError::new("yearly_cap", "invalid_cap", "a cap is zero or more"));
    }
    if b.daily_cap.is_some_and(|c| c < 0) {
        e.push(FieldError::new("daily_cap", "invalid_cap", "a cap is zero or more"));
    }
    for (f, v) in [("effective_from", &b.effective_from), ("effective_to", &b.effective_to)] {
        if v.as_deref().is_some_and(|d| !crate::org::rules::valid_date(d)) {
            e.push(FieldError::new(f, "invalid_date", "YYYY-MM-DD"));
        }
    }
    if let (Some(from), Some(to)) = (&b.effective_from, &b.effective_to) {
        if to < from {
            e.push(FieldError::new("effective_to", "invalid_range", "the rule must end on or after the day it starts"));
        }
    }
    e
}
