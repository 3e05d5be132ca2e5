//! Pages: the livelihood projects (民生实事) of the congresses a station lies under — what the
//! deputies voted for, who carries each out, how far it has come, and how the deputies rated it.

use crate::error::{AppError, AppResult};
use crate::pages::kit::{Pages, Visit};
use crate::pages::rules::url_encode;
use crate::pages::views::{ProjectLine, ProjectsPage};
use actix_web::http::StatusCode;
use actix_web::{get, web, HttpRequest, HttpResponse};
use reqwest::Method;
use serde_json::Value;

/// One project of `GET /api/v1/public/projects`, put in words.
fn line(x: &Value) -> ProjectLine {
    let s = |k: &str| x[k].as_str().unwrap_or_default().to_string();
    let n = |k: &str| x[k].as_i64().unwrap_or_default();
    let mut heading = format!("{}年 · {}", n("year"), s("congress"));
    if let (Some(rank), Some(votes)) = (x["rank"].as_i64(), x["approvals"].as_i64()) {
        heading.push_str(&format!(" · 票决第{rank}名（{votes}票赞成）"));
    }
    let ms = x["milestones"].as_array().cloned().unwrap_or_default();
    let done = ms.iter().filter(|m| !m["done_on"].is_null()).count();
    let mut units: Vec<String> = x["lead_unit"].as_str().map(|u| format!("{u}（牵头）")).into_iter().collect();
    units.extend(x["co_units"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string));
    let a = &x["assessment"];
    let assessment = (!a.is_null()).then(|| {
        let (sat, basic, dis) = (
            a["satisfied"].as_i64().unwrap_or(0),
            a["basically_satisfied"].as_i64().unwrap_or(0),
            a["dissatisfied"].as_i64().unwrap_or(0),
        );
        let permille = a["satisfaction_permille"].as_i64().unwrap_or(0);
        format!(
            "{}人评价，满意{sat}、基本满意{basic}、不满意{dis}，满意度{}.{}%",
            sat + basic + dis,
            permille / 10,
            permille % 10
        )
    });
    ProjectLine {
        title: s("title"),
        heading,
        description: s("description"),
        units: units.join("、"),
        percent: n("percent").clamp(0, 100),
        milestones: if ms.is_empty() {
            "尚未设定实施节点".into()
        } else {
            format!("已完成{done}/{}个实施节点", ms.len())
        },
        red: x["red"].as_bool().unwrap_or(false),
        assessment,
    }
}

async fn lines(v: &Visit, code: &str) -> AppResult<Option<Vec<ProjectLine>>> {
    let r = v.public(Method::GET, &format!("/api/v1/public/projects?station={}", url_encode(code)), None).await?;
    match r.status {
        200 => Ok(Some(r.body.as_array().into_iter().flatten().map(line).collect())),
        404 => Ok(None),
        s => Err(AppError::internal(format!("public projects: {s}"))),
    }
}

/// The livelihood projects page of a station's code.
#[get("/m/{code}/projects")]
pub async fn page(req: HttpRequest, pages: web::Data<Pages>, code: web::Path<String>) -> HttpResponse {
    let v = pages.visit(&req);
    let code = code.into_inner();
    match lines(&v, &code).await {
        Ok(Some(projects)) => {
            let head = v.head("民生实事项目");
            let page = ProjectsPage { head, code, projects };
            v.render(StatusCode::OK, &page).unwrap_or_else(|e| pages.visit(&req).fail(e))
        }
        Ok(None) => v.not_found(),
        Err(e) => v.fail(e),
    }
}
