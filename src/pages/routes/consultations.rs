//! Pages: consultations (征求意见) open to the public under a station's code — the list, the
//! text article by article, a comment on an article (or in general) with a proposed wording,
//! and the questionnaire; sending either needs a sign-in, and the visitor comes back here.

use crate::pages::kit::{Pages, Visit};
use crate::pages::rules::url_encode;
use crate::pages::views::{ConsultationLine, ConsultationPage, ConsultationsPage, QuestionField};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde_json::{json, Value};

fn state_words(x: &Value, tz: chrono_tz::Tz) -> String {
    let day = |k: &str| {
        x[k].as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&tz).format("%m月%d日").to_string())
            .unwrap_or_default()
    };
    match x["status"].as_str().unwrap_or_default() {
        "scheduled" => format!("尚未开始 · {}起", day("opens_at")),
        "open" => format!("征求中 · 截至{}", day("closes_at")),
        "feedback_published" => "已截止 · 已公布采纳情况".into(),
        _ => "已截止".into(),
    }
}

/// The public consultations of a station's code.
#[get("/m/{code}/consultations")]
pub async fn list(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let v = pages.visit(&req);
    let code = code.into_inner();
    let r =
        match v.public(Method::GET, &format!("/api/v1/public/consultations?station={}", url_encode(&code)), None).await
        {
            Ok(r) if r.ok() => r,
            Ok(_) => return v.not_found(),
            Err(e) => return v.fail(e),
        };
    let items = r
        .body
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| ConsultationLine {
            id: x["id"].as_i64().unwrap_or_default(),
            title: x["title"].as_str().unwrap_or_default().into(),
            state: state_words(x, state.settings.tz),
        })
        .collect();
    let view = ConsultationsPage { head: v.head("征求意见"), code, items };
    v.render(StatusCode::OK, &view).unwrap_or_else(|e| pages.visit(&req).fail(e))
}

/// What the page says after a send: (error, done).
type Outcome = (Option<String>, Option<String>);

async fn show(v: Visit, tz: chrono_tz::Tz, code: String, id: i64, (error, done): Outcome) -> HttpResponse {
    let r = match v.public(Method::GET, &format!("/api/v1/public/consultations/{id}"), None).await {
        Ok(r) if r.ok() => r.body,
        Ok(_) => return v.not_found(),
        Err(e) => return v.fail(e),
    };
    let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
    let arr = |k: &str| r[k].as_array().cloned().unwrap_or_default();
    let articles = arr("articles")
        .iter()
        .map(|a| {
            (
                a["number"].as_i64().unwrap_or_default(),
                a["heading"].as_str().unwrap_or_default().into(),
                a["body"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    let questions = arr("questions")
        .iter()
        .map(|q| {
            let kind = q["kind"].as_str().unwrap_or_default().to_string();
            let choices: Vec<(usize, String)> = match kind.as_str() {
                "scale" => (1..=5).map(|k| (k, format!("{k}分"))).collect(),
                _ => q["options"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, o)| (i, o.as_str().unwrap_or_default().into()))
                    .collect(),
            };
            QuestionField {
                name: format!("{kind}-{}", q["number"].as_i64().unwrap_or_default()),
                text: q["text"].as_str().unwrap_or_default().into(),
                required: q["required"].as_bool().unwrap_or(false),
                kind,
                choices,
            }
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view = ConsultationPage {
        head: v.head(s("title")),
        code,
        id,
        summary: s("summary"),
        state: state_words(&r, tz),
        open: r["status"] == "open",
        articles,
        questions,
        feedback: r["feedback"].as_str().map(str::to_string),
        error,
        done,
        title: s("title"),
    };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering a consultation failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// A public consultation: its text, and the forms while it is open.
#[get("/m/{code}/consultations/{id}")]
pub async fn page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    at: web::Path<(String, i64)>,
) -> HttpResponse {
    let (code, id) = at.into_inner();
    show(pages.visit(&req), state.settings.tz, code, id, (None, None)).await
}

/// Why a send was refused, in words.
fn refused(r: &crate::pages::kit::Reply) -> String {
    match (r.status, r.code()) {
        (409, _) => "征求意见尚未开始或已经截止。".into(),
        (429, _) => "提交太频繁，请稍后再试。".into(),
        (422, _) if r.body["errors"][0]["code"] == "required" => "请填写必答的问题。".into(),
        _ => "请检查填写的内容。".into(),
    }
}

/// Sends the visitor's comment or answers to the API and shows the page again with the outcome.
async fn send(
    req: HttpRequest,
    pages: &Pages,
    tz: chrono_tz::Tz,
    (code, id): (String, i64),
    form: Vec<(String, String)>,
    survey: bool,
) -> HttpResponse {
    let mut v = pages.visit(&req);
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, x)| x.trim().to_string()).unwrap_or_default();
    if !v.csrf_ok(&get("csrf")) {
        return v.forged();
    }
    if !v.signed_in() {
        return v.sign_in_first(&format!("/m/{code}/consultations/{id}"));
    }
    let (path, body, thanks) = if survey {
        let mut items: Vec<Value> = vec![];
        for (name, value) in form.iter().filter(|(n, x)| n != "csrf" && !x.trim().is_empty()) {
            let Some((kind, n)) = name.split_once('-') else { continue };
            let q: i64 = n.parse().unwrap_or_default();
            let k: i64 = value.parse().unwrap_or(-1);
            match kind {
                "single" => items.push(json!({"question": q, "choice": k})),
                "scale" => items.push(json!({"question": q, "scale": k})),
                "text" => items.push(json!({"question": q, "text": value})),
                "multiple" => match items.iter_mut().find(|i| i["question"] == q) {
                    Some(i) => i["choices"].as_array_mut().into_iter().for_each(|a| a.push(json!(k))),
                    None => items.push(json!({"question": q, "choices": [k]})),
                },
                _ => {}
            }
        }
        ("answers", json!({"answers": items}), "问卷已提交，截止前可以重新填写。")
    } else {
        let article = get("article").parse::<i64>().ok();
        let wording = Some(get("wording")).filter(|w| !w.is_empty());
        (
            "comments",
            json!({"article": article, "text": get("text"), "wording": wording}),
            "意见已提交，感谢您的参与。采纳情况将在征求意见结束后公布。",
        )
    };
    let method = if survey { Method::PUT } else { Method::POST };
    let outcome = match v.call(method, &format!("/api/v1/consultations/{id}/{path}"), Some(&body), None).await {
        Ok(r) if r.ok() => (None, Some(thanks.to_string())),
        Ok(r) if r.status == 401 => return v.sign_in_first(&format!("/m/{code}/consultations/{id}")),
        Ok(r) if r.status == 404 => return v.not_found(),
        Ok(r) => (Some(refused(&r)), None),
        Err(e) => return v.fail(e),
    };
    show(v, tz, code, id, outcome).await
}

/// Sends a comment on an article (sign-in first).
#[post("/m/{code}/consultations/{id}/comment")]
pub async fn comment(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    at: web::Path<(String, i64)>,
    f: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    send(req, &pages, state.settings.tz, at.into_inner(), f.into_inner(), false).await
}

/// Sends the questionnaire (sign-in first).
#[post("/m/{code}/consultations/{id}/answers")]
pub async fn answers(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    at: web::Path<(String, i64)>,
    f: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    send(req, &pages, state.settings.tz, at.into_inner(), f.into_inner(), true).await
}
