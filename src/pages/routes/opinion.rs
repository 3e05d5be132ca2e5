//! Pages: leaving an opinion at a station or with a deputy — category, title, content, an
//! optional position and up to 9 photos. Similar open cases nearby are shown before it is filed,
//! each with a button to follow it instead. A form whose session ran out sends the visitor to
//! sign in and back to the form with what they typed.

use crate::pages::kit::form::{self, Parts};
use crate::pages::kit::{token, Pages, Visit};
use crate::pages::model::Similar;
use crate::pages::rules;
use crate::pages::views::{OpinionDraft, OpinionPage};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

/// Whom a code's opinion goes to: (`station_code` or `deputy_code`, the name shown).
async fn target(pages: &Pages, v: &Visit, code: &str) -> crate::error::AppResult<Option<(&'static str, String)>> {
    let Some(p) = pages.public_page(v, code).await? else { return Ok(None) };
    let name = |k: &str| p.get(k).and_then(|x| x.get("name")).and_then(Value::as_str).map(str::to_string);
    Ok(match (name("station"), name("deputy")) {
        (Some(s), _) => Some(("station_code", s)),
        (None, Some(d)) => Some(("deputy_code", format!("{d}代表"))),
        _ => None,
    })
}

#[derive(Debug, Deserialize)]
pub struct Prefill {
    pub category: Option<String>,
    pub title: Option<String>,
    pub content: Option<String>,
}

fn show(
    v: Visit,
    status: StatusCode,
    code: String,
    to: String,
    f: OpinionDraft,
    similar: Vec<Similar>,
    error: Option<String>,
) -> HttpResponse {
    let photos_kept = f.photo_ids.split(',').filter(|s| !s.is_empty()).count();
    let categories = rules::CATEGORIES.to_vec();
    let view = OpinionPage { head: v.head("我要留言"), code, to, categories, f, photos_kept, similar, error };
    v.render(status, &view).unwrap_or_else(|e| {
        tracing::error!(error = %e, "rendering the opinion form failed");
        HttpResponse::InternalServerError().finish()
    })
}

/// The opinion form (sign-in first).
#[get("/m/{code}/opinion")]
pub async fn page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    code: web::Path<String>,
    q: web::Query<Prefill>,
) -> HttpResponse {
    let v = pages.visit(&req);
    let (code, q) = (code.into_inner(), q.into_inner());
    let to = match target(&pages, &v, &code).await {
        Ok(Some(t)) => t.1,
        Ok(None) => return v.not_found(),
        Err(e) => return v.fail(e),
    };
    if !v.signed_in() {
        let here = v.here().to_string();
        return v.sign_in_first(&here);
    }
    let f = OpinionDraft {
        category: q.category.unwrap_or_default(),
        title: q.title.unwrap_or_default(),
        content: q.content.unwrap_or_default(),
        key: token(),
        ..Default::default()
    };
    show(v, StatusCode::OK, code, to, f, vec![], None)
}

fn draft(p: &Parts) -> OpinionDraft {
    OpinionDraft {
        category: p.get("category"),
        title: p.get("title"),
        content: p.get("content"),
        latitude: p.get("latitude"),
        longitude: p.get("longitude"),
        coord_system: p.get("coord_system"),
        photo_ids: p.get("photo_ids"),
        key: Some(p.get("key")).filter(|k| rules::well_formed_token(k)).unwrap_or_else(token),
    }
}

/// What the form's validation errors say, in the page's words.
fn problem_text(r: &crate::pages::kit::Reply) -> String {
    let fields: Vec<&str> = r
        .body
        .get("errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("field").and_then(Value::as_str))
        .collect();
    let names: Vec<&str> = fields
        .iter()
        .map(|f| match *f {
            "title" => "标题",
            "content" => "内容",
            "category" => "类别",
            "photo_ids" => "照片",
            "latitude" | "longitude" => "位置",
            _ => "填写内容",
        })
        .collect();
    if r.reason() == "unknown_photo" {
        rules::error_text("unknown_photo").to_string()
    } else if r.code() == "validation_failed" && !names.is_empty() {
        format!("请检查：{}。", names.join("、"))
    } else {
        rules::error_text(r.code()).to_string()
    }
}

/// Files the opinion: photos uploaded first, similar open cases shown once, then the opinion
/// (with the form's key as its idempotency key: a second press files nothing twice).
#[post("/m/{code}/opinion")]
pub async fn submit(
    req: HttpRequest,
    pages: web::Data<Pages>,
    code: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    let mut v = pages.visit(&req);
    let code = code.into_inner();
    let parts = match form::read(&req, payload).await {
        Ok(p) => p,
        Err(e) => return v.fail(e),
    };
    if !v.csrf_ok(&parts.get("csrf")) {
        return v.forged();
    }
    let (field, to) = match target(&pages, &v, &code).await {
        Ok(Some(t)) => t,
        Ok(None) => return v.not_found(),
        Err(e) => return v.fail(e),
    };
    let mut f = draft(&parts);
    if !v.signed_in() {
        let back = format!(
            "/m/{code}/opinion?category={}&title={}&content={}",
            rules::url_encode(&f.category),
            rules::url_encode(&f.title),
            rules::url_encode(&f.content)
        );
        return v.sign_in_first(&back);
    }
    if parts.too_many {
        return show(v, StatusCode::UNPROCESSABLE_ENTITY, code, to, f, vec![], Some("最多上传9张照片。".into()));
    }
    let confirmed = parts.get("confirm") == "1";
    for photo in parts.files {
        match v.upload("/api/v1/opinion-photos", photo.name, photo.bytes).await {
            Ok(r) if r.ok() => {
                let id = r.body.get("id").and_then(Value::as_i64).unwrap_or_default();
                f.photo_ids = if f.photo_ids.is_empty() { id.to_string() } else { format!("{},{id}", f.photo_ids) };
            }
            Ok(r) if r.status == 401 => return v.sign_in_first(&format!("/m/{code}/opinion")),
            Ok(r) => {
                let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
                return show(v, status, code, to, f, vec![], Some(rules::error_text(r.reason()).into()));
            }
            Err(e) => return v.fail(e),
        }
    }
    let position = f.latitude.parse::<f64>().ok().zip(f.longitude.parse::<f64>().ok());
    let coord = if f.coord_system.is_empty() { "wgs84".to_string() } else { f.coord_system.clone() };
    if let (Some((lat, lng)), false) = (position, confirmed) {
        let q = format!(
            "/api/v1/me/opinions/similar?category={}&latitude={lat}&longitude={lng}&coord_system={}",
            rules::url_encode(&f.category),
            rules::url_encode(&coord)
        );
        match v.call(Method::GET, &q, None, None).await {
            Ok(r) if r.ok() => {
                let similar: Vec<Similar> = serde_json::from_value(r.body).unwrap_or_default();
                if !similar.is_empty() {
                    return show(v, StatusCode::OK, code, to, f, similar, None);
                }
            }
            Ok(r) => tracing::warn!(status = r.status, "similar cases could not be read; filing without"),
            Err(e) => return v.fail(e),
        }
    }
    let photo_ids: Vec<i64> = f.photo_ids.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    let mut body = json!({ "category": f.category, "title": f.title, "content": f.content, "photo_ids": photo_ids });
    body[field] = json!(code);
    if let Some((lat, lng)) = position {
        body["latitude"] = json!(lat);
        body["longitude"] = json!(lng);
        body["coord_system"] = json!(coord);
    }
    let key = f.key.clone();
    match v.call(Method::POST, "/api/v1/opinions", Some(&body), Some(&key)).await {
        Ok(r) if r.ok() => {
            let ticket = r.body.get("ticket").and_then(Value::as_str).unwrap_or_default().to_string();
            v.redirect(&format!("/m/cases/{ticket}?filed=1"))
        }
        Ok(r) if r.status == 401 => v.sign_in_first(&format!("/m/{code}/opinion")),
        Ok(r) => {
            let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let text = problem_text(&r);
            show(v, status, code, to, f, vec![], Some(text))
        }
        Err(e) => v.fail(e),
    }
}
