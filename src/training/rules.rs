//! Pure rules of courses: what a course and its questions must hold, how a quiz is scored, when
//! the materials count as studied.

use crate::error::FieldError;
use crate::training::model::{CourseCreate, Material, QuestionCreate};
use chrono::{NaiveDate, NaiveDateTime};

pub const KINDS: [&str; 2] = ["offline", "online"];
pub const MATERIAL_KINDS: [&str; 3] = ["document", "video", "link"];
pub const QUESTION_KINDS: [&str; 3] = ["single", "multiple", "true_false"];
/// The choices of a true/false question.
pub const TRUE_FALSE: [&str; 2] = ["是", "否"];

fn material_errors(i: usize, m: &Material) -> Vec<FieldError> {
    let mut e = vec![];
    e.extend(crate::org::rules::required_text("materials.title", &m.title, 200).map(|x| x.at_row(i)));
    if !MATERIAL_KINDS.contains(&m.kind.as_str()) {
        e.push(FieldError::new("materials.kind", "invalid_value", "document, video or link").at_row(i));
    }
    let url_ok = (m.url.starts_with("https://") || m.url.starts_with("/api/v1/files/"))
        && m.url.len() <= 1_000
        && !m.url.chars().any(char::is_whitespace);
    if !url_ok {
        e.push(FieldError::new("materials.url", "invalid_value", "an https address").at_row(i));
    }
    e
}

/// The choices a question offers (true/false ones have two fixed).
pub fn options(q: &QuestionCreate) -> Vec<String> {
    if q.kind == "true_false" {
        TRUE_FALSE.iter().map(|s| s.to_string()).collect()
    } else {
        q.options.iter().map(|s| s.trim().to_string()).collect()
    }
}

fn question_errors(i: usize, q: &QuestionCreate) -> Vec<FieldError> {
    let mut e = vec![];
    e.extend(crate::org::rules::required_text("questions.text", &q.text, 500).map(|x| x.at_row(i)));
    if !QUESTION_KINDS.contains(&q.kind.as_str()) {
        e.push(FieldError::new("questions.kind", "invalid_value", "single, multiple or true_false").at_row(i));
        return e;
    }
    let opts = options(q);
    if opts.len() < 2 || opts.len() > 8 || opts.iter().any(|o| o.is_empty() || o.chars().count() > 200) {
        e.push(FieldError::new("questions.options", "invalid_value", "2 to 8 choices").at_row(i));
    }
    let mut a = q.answer.clone();
    a.sort_unstable();
    a.dedup();
    let fits = !a.is_empty() && a.len() == q.answer.len() && a.iter().all(|x| *x < opts.len());
    let count_ok = q.kind == "multiple" || a.len() == 1;
    if !fits || !count_ok {
        e.push(FieldError::new("questions.answer", "invalid_value", "indices of the right choices").at_row(i));
    }
    e
}

/// The field errors of a new course (the event and the congress are checked apart).
pub fn check(b: &CourseCreate, today: NaiveDate) -> Vec<FieldError> {
    let mut e: Vec<FieldError> = crate::org::rules::required_text("title", &b.title, 200).into_iter().collect();
    if !KINDS.contains(&b.kind.as_str()) {
        e.push(FieldError::new("kind", "invalid_value", "offline or online"));
    }
    if b.kind == "offline" && b.event_id.is_none() {
        e.push(FieldError::new("event_id", "required", "the training event of an offline course"));
    }
    if b.kind == "online" && b.materials.is_empty() && b.questions.is_empty() {
        e.push(FieldError::new("materials", "required", "something to study or answer"));
    }
    if b.materials.len() > 20 || b.questions.len() > 100 {
        e.push(FieldError::new("materials", "too_long", "at most 20 materials and 100 questions"));
    }
    e.extend(b.materials.iter().enumerate().flat_map(|(i, m)| material_errors(i, m)));
    e.extend(b.questions.iter().enumerate().flat_map(|(i, q)| question_errors(i, q)));
    if !(0..=86_400).contains(&b.min_seconds) {
        e.push(FieldError::new("min_seconds", "out_of_range", "0 to 86,400 seconds"));
    }
    if !(1..=100).contains(&b.pass_mark.unwrap_or(60)) {
        e.push(FieldError::new("pass_mark", "out_of_range", "1 to 100 percent"));
    }
    if !(1..=10).contains(&b.max_attempts.unwrap_or(3)) {
        e.push(FieldError::new("max_attempts", "out_of_range", "1 to 10"));
    }
    match NaiveDate::parse_from_str(&b.closes_on, "%Y-%m-%d") {
        Ok(d) if d < today => e.push(FieldError::new("closes_on", "in_past", "not before today")),
        Ok(_) => {}
        Err(_) => e.push(FieldError::new("closes_on", "invalid_value", "a date YYYY-MM-DD")),
    }
    let texts = [&b.title, &b.kind, &b.closes_on]
        .into_iter()
        .chain(b.materials.iter().flat_map(|m| [&m.title, &m.kind, &m.url]));
    let mut texts = texts.chain(b.questions.iter().flat_map(|q| std::iter::once(&q.text).chain(q.options.iter())));
    if texts.any(|t| t.contains('\0')) {
        e.push(FieldError::new("title", "invalid_value", "text without NUL characters"));
    }
    if !(1..=99).contains(&b.term) {
        e.push(FieldError::new("term", "out_of_range", "the congress's term (届), 1 to 99"));
    }
    e
}

/// Percent of questions answered exactly right (no questions: 100).
pub fn score(key: &[Vec<usize>], answers: &[Vec<usize>]) -> i32 {
    if key.is_empty() {
        return 100;
    }
    let right = key
        .iter()
        .zip(answers.iter().chain(std::iter::repeat(&vec![])))
        .filter(|(k, a)| {
            let (mut k, mut a) = ((*k).clone(), (*a).clone());
            k.sort_unstable();
            a.sort_unstable();
            a.dedup();
            k == a
        })
        .count();
    (right * 100 / key.len()) as i32
}

/// Whether every one of `materials` was opened at least `min_seconds` before `now`.
pub fn studied(opened: &[Option<NaiveDateTime>], min_seconds: i32, now: NaiveDateTime) -> bool {
    opened.iter().all(|o| o.is_some_and(|t| (now - t).num_seconds() >= i64::from(min_seconds)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiz_scores_exact_answers_only() {
        let key = vec![vec![1], vec![0, 2], vec![0]];
        assert_eq!(score(&key, &[vec![1], vec![2, 0], vec![0]]), 100);
        assert_eq!(score(&key, &[vec![1], vec![0], vec![0]]), 66);
        assert_eq!(score(&key, &[vec![1]]), 33);
        assert_eq!(score(&[], &[]), 100);
    }

    #[test]
    fn materials_count_once_open_long_enough() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap().and_hms_opt(8, 0, 0).unwrap();
        let later = t + chrono::Duration::seconds(300);
        assert!(studied(&[Some(t), Some(t)], 300, later));
        assert!(!studied(&[Some(t), None], 300, later));
        assert!(!studied(&[Some(t)], 301, later));
        assert!(studied(&[], 300, t));
    }
}
