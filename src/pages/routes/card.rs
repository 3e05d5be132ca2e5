//! Pages: what a printed code opens — a deputy's card or a station's page — the friendly 404 for
//! every other path under `/m/`, and the pages' own style sheet and script.

use crate::error::{AppError, AppResult};
use crate::pages::kit::{asset, Pages, Visit};
use crate::pages::model::Public;
use crate::pages::rules;
use crate::pages::views::{Card, DeputyPage, DutyLine, DutyYear, ReportLine, StationPage};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use std::sync::Arc;

/// The card or station page behind a printed code.
#[get("/m/{code}")]
pub async fn code_page(
    req: HttpRequest,
    pages: web::Data<Pages>,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let v = pages.visit(&req);
    let card = match pages.cards.get(code.as_str()) {
        Some(c) => c,
        None => match card(&pages, &v, &code, state.settings.tz).await {
            Ok(Some(c)) => {
                pages.cards.insert(code.to_string(), c.clone());
                c
            }
            Ok(None) => return v.not_found(),
            Err(e) => return v.fail(e),
        },
    };
    let done = match card.as_ref() {
        Card::Deputy { d, seats, reports, duty } => {
            let head = v.head(format!("{}代表", d.name));
            v.render(StatusCode::OK, &DeputyPage { head, d, seats, reports, duty })
        }
        Card::Station { s, map, week } => {
            let head = v.head(s.name.clone());
            v.render(StatusCode::OK, &StationPage { head, s, map, week })
        }
    };
    done.unwrap_or_else(|e| pages.visit(&req).fail(e))
}

/// A code's public page, put in words (`None`: no such code).
async fn card(pages: &Pages, v: &Visit, code: &str, tz: chrono_tz::Tz) -> AppResult<Option<Arc<Card>>> {
    let Some(page) = pages.public_page(v, code).await? else { return Ok(None) };
    let public: Public = serde_json::from_value((*page).clone()).map_err(AppError::internal)?;
    Ok(match (public.deputy, public.station) {
        (Some(d), _) => {
            let seats =
                d.seats.iter().map(|s| rules::seat_line(&s.level, &s.region, s.group.as_deref(), s.term)).collect();
            let reports = reports(v, code, tz).await?;
            let duty = duty(v, code).await?;
            Some(Arc::new(Card::Deputy { d, seats, reports, duty }))
        }
        (None, Some(s)) => {
            let week = s
                .this_week
                .iter()
                .map(|w| DutyLine {
                    when: rules::duty_when(w.starts_at, w.ends_at, tz),
                    names: w.deputies.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join("、"),
                })
                .collect();
            let map = rules::map_link(s.latitude, s.longitude, &s.name);
            Some(Arc::new(Card::Station { s, map, week }))
        }
        (None, None) => None,
    })
}

/// A deputy's yearly duty summary, when their congress publishes it, put in words.
async fn duty(v: &Visit, code: &str) -> AppResult<Option<DutyYear>> {
    let path = format!("/api/v1/public/deputies/{}/summary", rules::url_encode(code));
    let r = v.public(reqwest::Method::GET, &path, None).await?;
    if !r.ok() {
        return Ok(None);
    }
    let b = &r.body;
    let n = |v: &serde_json::Value| v.as_i64().unwrap_or_default();
    let satisfied: i64 = b["suggestion_outcomes"]
        .as_array()
        .map(|a| a.iter().filter(|o| o["satisfaction"] == "satisfied").map(|o| n(&o["count"])).sum())
        .unwrap_or_default();
    let lines = vec![
        format!(
            "进站接待群众 {} 次，共 {:.1} 小时",
            n(&b["duty"]["receptions"]),
            b["duty"]["reception_hours"].as_f64().unwrap_or_default()
        ),
        format!("提出建议 {} 件，其中对办理结果满意 {} 件", n(&b["suggestions"]), satisfied),
        format!("答复群众意见 {} 件", n(&b["opinions_answered"])),
        format!("履职积分 {} 分", n(&b["points_total"])),
    ];
    Ok(Some(DutyYear { year: b["year"].as_i64().unwrap_or_default() as i32, lines }))
}

/// A deputy's published duty reports, put in words.
async fn reports(v: &Visit, code: &str, tz: chrono_tz::Tz) -> AppResult<Vec<ReportLine>> {
    let path = format!("/api/v1/public/duty-reports?deputy_code={}", rules::url_encode(code));
    let r = v.public(reqwest::Method::GET, &path, None).await?;
    let items = r.body.as_array().cloned().unwrap_or_default();
    Ok(items
        .iter()
        .map(|x| {
            let at = x["report"]["delivered_at"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
            let pct = |k: &str| x["results"][k].as_f64().map_or("–".to_string(), |f| format!("{:.0}%", f * 100.0));
            ReportLine {
                when: at.map(|t| t.with_timezone(&tz).format("%Y年%-m月述职").to_string()).unwrap_or_default(),
                result: format!(
                    "{}人评议：满意{}，基本满意{}，不满意{}",
                    x["results"]["ratings"].as_i64().unwrap_or_default(),
                    pct("satisfied_rate"),
                    pct("basically_satisfied_rate"),
                    pct("unsatisfied_rate")
                ),
                body: x["report"]["body"].as_str().unwrap_or_default().to_string(),
            }
        })
        .collect())
}

/// Any other path under `/m/`: the friendly 404 page.
pub async fn unknown(req: HttpRequest, pages: web::Data<Pages>) -> HttpResponse {
    pages.visit(&req).not_found()
}

const CSS: &str = include_str!("../templates/m/m.css");
const JS: &str = include_str!("../templates/m/m.js");

/// The pages' style sheet.
#[get("/m/static/m.css")]
pub async fn css() -> HttpResponse {
    asset("text/css; charset=utf-8", CSS)
}

/// The pages' script (it only improves: location, photo previews).
#[get("/m/static/m.js")]
pub async fn js() -> HttpResponse {
    asset("text/javascript; charset=utf-8", JS)
}
