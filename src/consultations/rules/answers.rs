//! A questionnaire's answers checked against its questions and kept as one small JSON object:
//! `{"1": 0, "2": [0, 2], "3": 4, "4": "…"}` (question number → choice, choices, scale, text).

use crate::consultations::model::{AnswerItem, Question};
use crate::error::FieldError;
use serde_json::{Map, Value};

fn wrong(i: usize, what: &str) -> FieldError {
    FieldError::new(&format!("answers[{i}]"), "invalid_value", what.to_string())
}

/// One item's value for its question, or what is wrong with it.
fn value(i: usize, q: &Question, a: &AnswerItem) -> Result<Option<Value>, FieldError> {
    let others = |n: usize| {
        [a.choice.is_some(), a.choices.is_some(), a.scale.is_some(), a.text.is_some()].iter().filter(|x| **x).count()
            > n
    };
    if others(1) {
        return Err(wrong(i, "one of choice, choices, scale or text"));
    }
    let n = q.options.len();
    match q.kind.as_str() {
        "single" => match (a.choice, others(0)) {
            (Some(c), _) if c < n => Ok(Some(Value::from(c))),
            (None, false) => Ok(None),
            _ => Err(wrong(i, "`choice`: the index of one of the question's choices")),
        },
        "multiple" => match (&a.choices, others(0)) {
            (Some(cs), _) => {
                let mut cs = cs.clone();
                cs.sort_unstable();
                cs.dedup();
                if cs.iter().any(|c| *c >= n) {
                    return Err(wrong(i, "`choices`: indices of the question's choices"));
                }
                Ok((!cs.is_empty()).then(|| Value::from(cs)))
            }
            (None, false) => Ok(None),
            _ => Err(wrong(i, "`choices`: indices of the question's choices")),
        },
        "scale" => match (a.scale, others(0)) {
            (Some(s), _) if (1..=5).contains(&s) => Ok(Some(Value::from(s))),
            (None, false) => Ok(None),
            _ => Err(wrong(i, "`scale`: 1 to 5")),
        },
        _ => match (&a.text, others(0)) {
            (Some(t), _) if t.contains('\0') || t.chars().count() > 2_000 => {
                Err(wrong(i, "`text`: at most 2,000 characters"))
            }
            (Some(t), _) => Ok((!t.trim().is_empty()).then(|| Value::from(t.trim()))),
            (None, false) => Ok(None),
            _ => Err(wrong(i, "`text` for a text question")),
        },
    }
}

/// The answers as kept, or the field errors: an item naming no question of this questionnaire,
/// a question answered twice, a value that does not fit its question, and each required
/// question left unanswered (`questions[N]`, code `required`, naming the question).
pub fn check_answers(questions: &[Question], items: &[AnswerItem]) -> Result<Value, Vec<FieldError>> {
    let mut errs = vec![];
    let mut out = Map::new();
    if items.len() > 100 {
        return Err(vec![FieldError::new("answers", "too_many", "at most 100 items")]);
    }
    for (i, a) in items.iter().enumerate() {
        let Some(q) = questions.iter().find(|q| q.number == a.question) else {
            errs.push(FieldError::new(
                &format!("answers[{i}].question"),
                "unknown",
                format!("question {} is not in this questionnaire", a.question),
            ));
            continue;
        };
        if out.contains_key(&q.number.to_string()) {
            errs.push(FieldError::new(&format!("answers[{i}].question"), "duplicate", "answered twice"));
            continue;
        }
        match value(i, q, a) {
            Ok(Some(v)) => {
                out.insert(q.number.to_string(), v);
            }
            Ok(None) => {}
            Err(e) => errs.push(e),
        }
    }
    for q in questions.iter().filter(|q| q.required) {
        if !out.contains_key(&q.number.to_string()) && !errs.iter().any(|e| e.field.starts_with("answers[")) {
            errs.push(FieldError::new(
                &format!("questions[{}]", q.number),
                "required",
                format!("question {} must be answered: {}", q.number, q.text),
            ));
        }
    }
    if out.is_empty() && errs.is_empty() {
        errs.push(FieldError::new("answers", "required", "answer at least one question"));
    }
    if errs.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(errs)
    }
}

/// Kept answers read back (an unreadable value reads as no answers).
pub fn decode(stored: &str) -> Value {
    serde_json::from_str(stored).unwrap_or(Value::Object(Map::new()))
}
