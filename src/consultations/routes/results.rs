//! Routes: a consultation's results for its staff — the comments article by article with who
//! sent them, the questionnaire's counts with their volumes and per level or region — as JSON,
//! CSV or a printable page.

use super::access::{self, Stand};
use super::comments;
use crate::auth::policy::Action;
use crate::auth::Principal;
use crate::consultations::model::{ArticleResult, ConsultationResults, ResultsQuery};
use crate::consultations::rules::{self, Respondent};
use crate::consultations::store::{self, answers, comments as cstore, ConsultationRow};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::platform::pii::Pii;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::NaiveDateTime;
use std::collections::{HashMap, HashSet};

/// The group an answer counts under: its level, or the region right below the congress that
/// holds the respondent's seat.
fn groups(c: &mut AnyConnection, row: &ConsultationRow, by: &str) -> AppResult<Vec<Respondent>> {
    let kept = answers::all(c, row.id)?;
    if by != "region" {
        return Ok(kept
            .into_iter()
            .map(|(level, _, a)| Respondent {
                group: if by == "level" { level } else { String::new() },
                answers: rules::decode(&a),
            })
            .collect());
    }
    let below = |path: &Option<String>| -> Option<i64> {
        let rest = path.as_deref()?.strip_prefix(&row.region_path)?;
        rest.trim_matches('/').split('/').next()?.parse().ok()
    };
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(kept.len());
    for (level, path, a) in kept {
        let group = match below(&path) {
            Some(r) => {
                if let std::collections::hash_map::Entry::Vacant(e) = names.entry(r) {
                    e.insert(crate::org::region_ref(c, r)?.map(|x| x.name).unwrap_or_default());
                }
                names.get(&r).cloned().unwrap_or_default()
            }
            None if level == "public" => "群众".into(),
            None if path.is_some() => "本级".into(),
            None => "未分组".into(),
        };
        out.push(Respondent { group, answers: rules::decode(&a) });
    }
    Ok(out)
}

/// The results of a consultation (staff).
pub fn compute(
    c: &mut AnyConnection,
    row: &ConsultationRow,
    by: &str,
    pii: &Pii,
    now: NaiveDateTime,
) -> AppResult<ConsultationResults> {
    let rows = cstore::of_consultation(c, row.id)?;
    let all = comments::views(c, rows, Some(pii))?;
    let mut articles: Vec<ArticleResult> =
        vec![ArticleResult { number: None, heading: "总体意见".into(), body: String::new(), comments: vec![] }];
    for a in access::articles(c, row.id)? {
        articles.push(ArticleResult { number: Some(a.number), heading: a.heading, body: a.body, comments: vec![] });
    }
    let total = all.len() as i64;
    for cm in all {
        if let Some(a) = articles.iter_mut().find(|a| a.number == cm.article) {
            a.comments.push(cm);
        }
    }
    let status = rules::status(&row.status, (row.opens_at, row.closes_at), row.feedback_at.is_some(), now);
    if matches!(status, "closed" | "feedback_published") {
        crate::consultations::held::settle(c, pii, row.id)?;
    }
    let questions = access::questions(c, row.id)?;
    let respondents = groups(c, row, by)?;
    let participants = answers::participants(c, row.id)?;
    let mut took: HashSet<i64> = participants.iter().filter_map(|k| k.strip_prefix("d:")?.parse().ok()).collect();
    took.extend(cstore::deputies(c, row.id)?);
    Ok(ConsultationResults {
        id: row.id,
        title: row.title.clone(),
        status: status.into(),
        reached: store::audience_size(c, row.id)?,
        deputies_took_part: took.len() as i64,
        respondents: participants.len() as i64,
        held: answers::held_count(c, row.id)?,
        comments: total,
        articles,
        questions: rules::tally(&questions, &respondents, matches!(by, "level" | "region")),
    })
}

fn csv(r: &ConsultationResults) -> AppResult<String> {
    let mut w = crate::platform::csv_out::CsvOut::default();
    w.row(["条款", "来源", "意见来自", "意见", "建议修改为", "采纳情况", "理由"])?;
    for a in &r.articles {
        for cm in &a.comments {
            let decision = super::feedback::decision_name(cm.decision.as_deref());
            let wording = cm.wording.clone().unwrap_or_default();
            let reason = cm.reason.clone().unwrap_or_default();
            w.row([a.heading.as_str(), cm.author_kind.as_str(), &cm.author, &cm.text, &wording, decision, &reason])?;
        }
    }
    w.row([""; 7])?;
    w.row(["问题", "分组", "选项", "人数", "占比(‰)", "答题人数", ""])?;
    for q in &r.questions {
        let title = format!("{}. {}", q.number, q.text);
        let mut lines: Vec<(&str, &Vec<crate::consultations::model::Count>, i64)> =
            vec![("全部", &q.counts, q.answered)];
        lines.extend(q.groups.iter().map(|g| (g.group.as_str(), &g.counts, g.answered)));
        for (group, counts, answered) in lines {
            for k in counts.iter() {
                w.row([
                    &title,
                    group,
                    &k.label,
                    &k.count.to_string(),
                    &k.permille.to_string(),
                    &answered.to_string(),
                    "",
                ])?;
            }
        }
        for t in &q.texts {
            w.row([title.as_str(), "全部", t.as_str(), "", "", "", ""])?;
        }
    }
    w.finish()
}

/// The results: comments per article with their authors (deputies by name, constituents
/// masked), the questionnaire's counts and shares with their volumes, cross-tabulated with
/// `by=level|region`; `format=csv` for a spreadsheet, `format=html` for a printable report.
#[utoipa::path(tag = "consultations", params(("id" = i64, Path), ResultsQuery), responses((status = 200, body = ConsultationResults), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/consultations/{id}/results")]
pub async fn results(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<ResultsQuery>,
) -> AppResult<HttpResponse> {
    let by = q.by.clone().unwrap_or_default();
    if !matches!(by.as_str(), "" | "level" | "region") {
        return Err(AppError::invalid_field("by", "invalid_value", "level or region"));
    }
    let format = q.format.clone().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "csv" | "html") {
        return Err(AppError::invalid_field("format", "invalid_value", "json, csv or html"));
    }
    let (id, now, pii) = (id.into_inner(), state.now(), state.pii.clone());
    let (r, row) = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Read)?;
        if stand != Stand::Staff {
            return Err(AppError::forbidden(Code::Forbidden, "the results are for congress staff"));
        }
        Ok((compute(c, &row, &by, &pii, now)?, row))
    })
    .await?;
    Ok(match format.as_str() {
        "csv" => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"consultation-{id}.csv\"")))
            .body(csv(&r)?),
        "html" => super::report::page(&r, &row, state.settings.tz)?,
        _ => HttpResponse::Ok().json(r),
    })
}
