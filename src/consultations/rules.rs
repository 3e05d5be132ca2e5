//! Pure rules of consultations: splitting a pasted text into articles, what a draft must hold,
//! where it stands in its window, and whether a questionnaire's answers are whole and fit it.

mod answers;
mod tally;
#[cfg(test)]
mod tests;

pub use answers::{check_answers, decode};
pub use tally::{tally, Respondent};

use crate::consultations::model::{Article, Attachment, ConsultationCreate, Question};
use crate::error::FieldError;
use chrono::NaiveDateTime;

pub const KINDS: [&str; 5] = ["law", "regulation", "budget", "plan", "other"];
pub const QUESTION_KINDS: [&str; 4] = ["single", "multiple", "scale", "text"];
pub const CHANNELS: [&str; 4] = ["visit", "phone", "letter", "meeting"];
pub const DECISIONS: [&str; 3] = ["adopted", "partly_adopted", "not_adopted"];
/// Comments one constituent may send in a minute.
pub const COMMENTS_PER_MINUTE: u64 = 10;

const NUMERALS: &str = "零〇一二两三四五六七八九十百千";

/// Where an article starts: `第…条` (`by_article`) or `一、` headings; the heading and the rest.
fn marker(line: &str, by_article: bool) -> Option<(String, String)> {
    let t = line.trim_start();
    if by_article {
        let rest = t.strip_prefix('第')?;
        let n: String = rest.chars().take_while(|c| NUMERALS.contains(*c) || c.is_ascii_digit()).collect();
        let after = rest[n.len()..].strip_prefix('条')?;
        (!n.is_empty()).then(|| (format!("第{n}条"), after.trim().to_string()))
    } else {
        let n: String = t.chars().take_while(|c| NUMERALS.contains(*c)).collect();
        let after = t[n.len()..].strip_prefix('、')?;
        (!n.is_empty()).then(|| (format!("{n}、"), after.trim().to_string()))
    }
}

/// A chapter or section line (第一章 总则, 第二节): kept out of the articles' bodies.
fn is_division(line: &str) -> bool {
    let t = line.trim_start();
    let Some(rest) = t.strip_prefix('第') else { return false };
    let n: String = rest.chars().take_while(|c| NUMERALS.contains(*c) || c.is_ascii_digit()).collect();
    !n.is_empty() && (rest[n.len()..].starts_with('章') || rest[n.len()..].starts_with('节'))
}

/// Splits a pasted text into numbered articles: at each `第…条` if there is one, else at each
/// `一、` heading, else the whole text as one article. Text before the first article is article
/// 0 (前言); chapter and section lines are left out.
pub fn parse_articles(text: &str) -> Vec<Article> {
    let by_article = text.lines().any(|l| marker(l, true).is_some());
    let by_heading = !by_article && text.lines().any(|l| marker(l, false).is_some());
    let mut out: Vec<Article> = vec![];
    let mut preamble: Vec<&str> = vec![];
    for line in text.lines() {
        let found = if by_article || by_heading { marker(line, by_article) } else { None };
        if let Some((heading, first)) = found {
            out.push(Article { number: out.len() as i32 + 1, heading, body: first });
            continue;
        }
        if is_division(line) || line.trim().is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(a) => {
                if !a.body.is_empty() {
                    a.body.push('\n');
                }
                a.body.push_str(line.trim());
            }
            None => preamble.push(line.trim()),
        }
    }
    if !preamble.is_empty() {
        let body = preamble.join("\n");
        if out.is_empty() {
            return vec![Article { number: 1, heading: "全文".into(), body }];
        }
        out.insert(0, Article { number: 0, heading: "前言".into(), body });
    }
    out
}

/// Articles as edited: numbered 1, 2, … in order, texts trimmed.
pub fn number_articles(given: &[Article]) -> Vec<Article> {
    given
        .iter()
        .enumerate()
        .map(|(i, a)| Article { number: i as i32 + 1, heading: a.heading.trim().into(), body: a.body.trim().into() })
        .collect()
}

fn text_errors(field: &str, v: &str, max: usize) -> Option<FieldError> {
    if v.contains('\0') {
        return Some(FieldError::new(field, "invalid_value", "must not hold a NUL character"));
    }
    crate::org::rules::required_text(field, v, max)
}

/// The field errors of a set of articles.
pub fn article_errors(articles: &[Article]) -> Vec<FieldError> {
    let mut e = vec![];
    if articles.is_empty() || articles.len() > 1_000 {
        e.push(FieldError::new("articles", "invalid_value", "1 to 1,000 articles (or a text to split)"));
    }
    for (i, a) in articles.iter().enumerate() {
        e.extend(text_errors("articles.heading", &a.heading, 100).map(|x| x.at_row(i)));
        e.extend(text_errors("articles.body", &a.body, 20_000).map(|x| x.at_row(i)));
    }
    e
}

/// The field errors of a question.
pub fn question_errors(i: usize, q: &Question) -> Vec<FieldError> {
    let mut e = vec![];
    e.extend(text_errors("questions.text", &q.text, 500).map(|x| x.at_row(i)));
    match q.kind.as_str() {
        "single" | "multiple" => {
            let bad = |o: &String| o.trim().is_empty() || o.chars().count() > 200 || o.contains('\0');
            if q.options.len() < 2 || q.options.len() > 20 || q.options.iter().any(bad) {
                e.push(FieldError::new("questions.options", "invalid_value", "2 to 20 choices").at_row(i));
            }
        }
        "scale" | "text" if !q.options.is_empty() => {
            e.push(FieldError::new("questions.options", "invalid_value", "no choices for this kind").at_row(i));
        }
        "scale" | "text" => {}
        _ => e.push(FieldError::new("questions.kind", "invalid_value", QUESTION_KINDS.join(", ")).at_row(i)),
    }
    e
}

fn attachment_errors(i: usize, a: &Attachment) -> Vec<FieldError> {
    let mut e: Vec<FieldError> =
        text_errors("attachments.title", &a.title, 200).map(|x| x.at_row(i)).into_iter().collect();
    let ok = (a.url.starts_with("https://") || a.url.starts_with("/api/v1/files/"))
        && a.url.len() <= 1_000
        && !a.url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        e.push(FieldError::new("attachments.url", "invalid_value", "an https address").at_row(i));
    }
    e
}

/// The field errors of a new consultation (articles already parsed; scope checked apart).
pub fn check(b: &ConsultationCreate, articles: &[Article], now: NaiveDateTime) -> Vec<FieldError> {
    let mut e = vec![];
    e.extend(text_errors("title", &b.title, 200));
    if b.summary.chars().count() > 5_000 || b.summary.contains('\0') {
        e.push(FieldError::new("summary", "invalid_value", "at most 5,000 characters"));
    }
    if !KINDS.contains(&b.kind.as_str()) {
        e.push(FieldError::new("kind", "invalid_value", KINDS.join(", ")));
    }
    e.extend(article_errors(articles));
    if b.attachments.len() > 20 {
        e.push(FieldError::new("attachments", "too_many", "at most 20"));
    }
    e.extend(b.attachments.iter().enumerate().flat_map(|(i, a)| attachment_errors(i, a)));
    if b.questions.len() > 50 {
        e.push(FieldError::new("questions", "too_many", "at most 50"));
    }
    e.extend(b.questions.iter().enumerate().flat_map(|(i, q)| question_errors(i, q)));
    let (opens, closes) = (b.opens_at.naive_utc(), b.closes_at.naive_utc());
    if closes <= opens {
        e.push(FieldError::new("closes_at", "invalid_value", "after opens_at"));
    } else if closes <= now {
        e.push(FieldError::new("closes_at", "in_past", "the window must end in the future"));
    } else if closes - opens > chrono::Duration::days(366) {
        e.push(FieldError::new("closes_at", "invalid_value", "a window of at most a year"));
    }
    if b.contact_points.len() > 200 {
        e.push(FieldError::new("contact_points", "too_many", "at most 200 stations"));
    }
    e
}

/// Where a consultation stands at `now`.
pub fn status(
    stored: &str,
    window: (NaiveDateTime, NaiveDateTime),
    feedback: bool,
    now: NaiveDateTime,
) -> &'static str {
    match stored {
        "draft" => "draft",
        _ if feedback => "feedback_published",
        _ if now < window.0 => "scheduled",
        _ if now < window.1 => "open",
        _ => "closed",
    }
}

/// The field errors of a comment's texts.
pub fn comment_errors(text: &str, wording: Option<&str>) -> Vec<FieldError> {
    let mut e: Vec<FieldError> = text_errors("text", text, 5_000).into_iter().collect();
    if let Some(w) = wording {
        if w.chars().count() > 5_000 || w.contains('\0') {
            e.push(FieldError::new("wording", "invalid_value", "at most 5,000 characters"));
        }
    }
    e
}
