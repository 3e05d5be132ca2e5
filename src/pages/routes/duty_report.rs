//! Pages: rating a deputy's duty report at its session (述职评议) — the QR code shown there opens
//! this page with the session's token; the visitor signs in with their phone (and comes back
//! here), chooses a verdict and may add a comment; one rating each, during the session only.

use crate::pages::kit::{Pages, Visit};
use crate::pages::views::RateReportPage;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub t: String,
}

#[derive(Debug, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub t: String,
    #[serde(default)]
    pub verdict: String,
    #[serde(default)]
    pub comment: String,
}

fn form(v: Visit, id: i64, token: String, error: Option<&'static str>) -> HttpResponse {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view = RateReportPage { head: v.head("述职评议"), id, token, error };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the rating page failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// The rating form (sign in first).
#[get("/m/duty-reports/{id}/rate")]
pub async fn page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    id: web::Path<i64>,
    q: web::Query<TokenQuery>,
) -> HttpResponse {
    let v = pages.visit(&req);
    if !v.signed_in() {
        let here = v.here().to_string();
        return v.sign_in_first(&here);
    }
    form(v, id.into_inner(), q.into_inner().t, None)
}

/// Sends the rating; thanks, or says plainly why it was not taken.
#[post("/m/duty-reports/{id}/rate")]
pub async fn rate(
    req: HttpRequest,
    pages: web::Data<Pages>,
    id: web::Path<i64>,
    f: web::Form<RateForm>,
) -> HttpResponse {
    let mut v = pages.visit(&req);
    if !v.csrf_ok(&f.csrf) {
        return v.forged();
    }
    let (id, f) = (id.into_inner(), f.into_inner());
    let comment = Some(f.comment.trim()).filter(|c| !c.is_empty());
    let body = json!({"token": f.t, "verdict": f.verdict, "comment": comment});
    match v.call(Method::POST, &format!("/api/v1/duty-reports/{id}/ratings"), Some(&body), None).await {
        Ok(r) if r.ok() => v.message(StatusCode::OK, "感谢您的评议", "您的评议已提交。评议结果将在述职会议后公布。"),
        Ok(r) if r.status == 401 => {
            let here = format!("/m/duty-reports/{id}/rate?t={}", crate::pages::rules::url_encode(&f.t));
            v.sign_in_first(&here)
        }
        Ok(r) => {
            let why = match (r.status, r.reason()) {
                (409, "already_rated") => "您已经评议过了，每人限评一次。",
                (409, _) => "评议已结束或尚未开始，仅在述职会议期间可以评议。",
                (403, _) => "二维码已过期，请重新扫描会场屏幕上的二维码。",
                _ => "请选择满意、基本满意或不满意。",
            };
            form(v, id, f.t, Some(why))
        }
        Err(e) => v.fail(e),
    }
}
