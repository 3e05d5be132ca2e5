//! The printable results report of a consultation (an HTML page for the browser's print):
//! the text article by article with its comments, then the questionnaire. Every text is
//! escaped by the template.

use crate::consultations::model::ConsultationResults;
use crate::consultations::store::ConsultationRow;
use crate::error::{AppError, AppResult};
use actix_web::HttpResponse;
use askama::Template;

struct ArticleLines {
    heading: String,
    body: String,
    comments: Vec<CommentLine>,
}

struct CommentLine {
    author: String,
    text: String,
    wording: String,
    decision: String,
}

struct QuestionLines {
    title: String,
    answered: i64,
    /// (label, count, share)
    lines: Vec<(String, i64, String)>,
    texts: Vec<String>,
}

#[derive(Template)]
#[template(path = "consultation_report.html")]
struct Report {
    nonce: String,
    title: String,
    window: String,
    status: String,
    reached: i64,
    took_part: i64,
    comments: i64,
    respondents: i64,
    articles: Vec<ArticleLines>,
    questions: Vec<QuestionLines>,
}

fn status_name(s: &str) -> &'static str {
    match s {
        "draft" => "草稿",
        "scheduled" => "未开始",
        "open" => "征求中",
        "closed" => "已截止",
        _ => "已反馈",
    }
}

/// The report as a page.
pub fn page(r: &ConsultationResults, row: &ConsultationRow, tz: chrono_tz::Tz) -> AppResult<HttpResponse> {
    let day = |t: chrono::NaiveDateTime| t.and_utc().with_timezone(&tz).format("%Y年%m月%d日").to_string();
    let articles = r
        .articles
        .iter()
        .map(|a| ArticleLines {
            heading: a.heading.clone(),
            body: a.body.clone(),
            comments: a
                .comments
                .iter()
                .map(|c| CommentLine {
                    author: c.author.clone(),
                    text: c.text.clone(),
                    wording: c.wording.clone().unwrap_or_default(),
                    decision: super::feedback::decision_name(c.decision.as_deref()).into(),
                })
                .collect(),
        })
        .collect();
    let questions = r
        .questions
        .iter()
        .map(|q| QuestionLines {
            title: format!("{}. {}", q.number, q.text),
            answered: q.answered,
            lines: q
                .counts
                .iter()
                .map(|k| (k.label.clone(), k.count, format!("{}.{}%", k.permille / 10, k.permille % 10)))
                .collect(),
            texts: q.texts.clone(),
        })
        .collect();
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let page = Report {
        nonce: nonce.clone(),
        title: r.title.clone(),
        window: format!("{}至{}", day(row.opens_at), day(row.closes_at)),
        status: status_name(&r.status).into(),
        reached: r.reached,
        took_part: r.deputies_took_part,
        comments: r.comments,
        respondents: r.respondents,
        articles,
        questions,
    };
    let html = page.render().map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Security-Policy",
            format!("default-src 'none'; style-src 'nonce-{nonce}'; frame-ancestors 'none'"),
        ))
        .body(html))
}
