//! Routes: a consultation drafted by congress staff (its text split into articles, its
//! questionnaire, window, audience and contact points), its articles edited while a draft, and
//! its publication — the audience resolved and kept, and a notice to every deputy reached.

use super::access::{self, Stand};
use crate::auth::policy::Action;
use crate::auth::{Principal, Role};
use crate::consultations::model::{Article, ArticlesPut, ConsultationCreate, ConsultationView, Question};
use crate::consultations::rules;
use crate::consultations::store::{self, NewConsultation};
use crate::db;
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::state::AppState;
use actix_web::{post, put, web, HttpResponse};

fn split(text: Option<&str>, given: &[Article]) -> Vec<Article> {
    match text {
        Some(t) if given.is_empty() => rules::parse_articles(t),
        _ => rules::number_articles(given),
    }
}

fn keep_articles(c: &mut db::AnyConnection, id: i64, articles: &[Article]) -> AppResult<()> {
    let rows: Vec<(i32, &str, &str)> =
        articles.iter().map(|a| (a.number, a.heading.as_str(), a.body.as_str())).collect();
    store::put_articles(c, id, &rows)
}

/// Draft a consultation: the text pasted whole (split at 第…条 or 一、 headings) or as articles,
/// a questionnaire, the window, the deputies asked, whether the public may answer (congress
/// staff in scope).
#[utoipa::path(tag = "consultations", request_body = ConsultationCreate, responses((status = 201, body = ConsultationView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/consultations")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<ConsultationCreate>,
) -> AppResult<HttpResponse> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff put texts to consultation"));
    }
    let b = body.into_inner();
    let now = state.now();
    let articles = split(b.text.as_deref(), &b.articles);
    let errs = rules::check(&b, &articles, now);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let refusal = ("region_id", "congress staff put texts to consultation");
        let (region, path) = crate::org::staff_congress(c, &p, b.region_id, Action::Write, refusal)?;
        // The audience is checked now (every part inside the congress), resolved at publication.
        crate::notices::resolve_audience(c, &path, &b.audience)?;
        let mut points = b.contact_points.clone();
        points.sort_unstable();
        points.dedup();
        for (i, s) in points.iter().enumerate() {
            match crate::org::station_region(c, *s)? {
                Some((_, sp)) if sp.starts_with(&path) => {}
                _ => {
                    return Err(AppError::invalid_field(&format!("contact_points[{i}]"), "unknown", "no such station"))
                }
            }
        }
        let (audience, attachments) = (
            serde_json::to_string(&b.audience).map_err(AppError::internal)?,
            serde_json::to_string(&b.attachments).map_err(AppError::internal)?,
        );
        let n = NewConsultation {
            congress: (region, &path),
            title: b.title.trim(),
            kind: &b.kind,
            summary: b.summary.trim(),
            window: (b.opens_at.naive_utc(), b.closes_at.naive_utc()),
            audience: &audience,
            public: b.public,
            anonymous: b.anonymous,
            attachments: &attachments,
            by: p.account_id,
        };
        let id = store::insert(c, &n, now)?;
        keep_articles(c, id, &articles)?;
        for (i, q) in b.questions.iter().enumerate() {
            let options: Vec<&str> = q.options.iter().map(|o| o.trim()).collect();
            let options = serde_json::to_string(&options).map_err(AppError::internal)?;
            store::insert_question(c, id, (i as i32 + 1, &q.kind, q.text.trim(), &options, q.required))?;
        }
        store::put_points(c, id, &points)?;
        crate::audit::Entry::by(&p, "consultation.create", "consultation", id.to_string())
            .region(Some(path))
            .write(c, now)?;
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        access::view(c, row, Stand::Staff, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Replace the articles of a draft (the text split again, or the articles as edited).
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), request_body = ArticlesPut, responses((status = 200, body = ConsultationView), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/consultations/{id}/articles")]
pub async fn put_articles(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ArticlesPut>,
) -> AppResult<web::Json<ConsultationView>> {
    let (id, now, b) = (id.into_inner(), state.now(), body.into_inner());
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Write)?;
        if stand != Stand::Staff {
            return Err(AppError::forbidden(Code::Forbidden, "congress staff edit the text"));
        }
        if row.status != "draft" {
            return Err(AppError::conflict(Code::IllegalTransition, "the text is fixed once published"));
        }
        let articles = split(b.text.as_deref(), &b.articles);
        let errs = rules::article_errors(&articles);
        if !errs.is_empty() {
            return Err(AppError::validation(errs));
        }
        keep_articles(c, id, &articles)?;
        crate::audit::Entry::by(&p, "consultation.articles", "consultation", id.to_string())
            .region(Some(row.region_path.clone()))
            .write(c, now)?;
        access::view(c, row, stand, now)
    })
    .await?;
    Ok(web::Json(v))
}

fn notice_text(row: &store::ConsultationRow, tz: chrono_tz::Tz, questions: &[Question]) -> (String, String) {
    let day = |t: chrono::NaiveDateTime| t.and_utc().with_timezone(&tz).format("%Y年%m月%d日 %H:%M").to_string();
    let ask = if questions.is_empty() { "" } else { "，并填写问卷" };
    (
        format!("征求意见：{}", row.title),
        format!(
            "{}至{}，请在履职App中逐条阅读并提出意见{ask}。{}",
            day(row.opens_at),
            day(row.closes_at),
            row.summary.chars().take(200).collect::<String>()
        ),
    )
}

/// Publish a draft: the deputies its audience reaches are kept and sent a notice (inbox, push);
/// answers are taken within the window.
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), responses((status = 200, body = ConsultationView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/consultations/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<ConsultationView>> {
    let (id, now) = (id.into_inner(), state.now());
    let st = state.clone();
    let (v, wake) = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Write)?;
        if stand != Stand::Staff {
            return Err(AppError::forbidden(Code::Forbidden, "congress staff publish consultations"));
        }
        if row.status != "draft" {
            return Err(AppError::conflict(Code::AlreadyPublished, "the consultation is published"));
        }
        if row.closes_at <= now {
            return Err(AppError::conflict(Code::ConsultationClosed, "its window is over: set a new one"));
        }
        let audience: crate::notices::Audience = serde_json::from_str(&row.audience).map_err(AppError::internal)?;
        let deputies = crate::notices::resolve_audience(c, &row.region_path, &audience)?;
        let (title, body) = notice_text(&row, st.settings.tz, &access::questions(c, id)?);
        let s = &st.settings;
        let congress = (row.region_id, row.region_path.as_str());
        let (notice, _, wake) = crate::notices::publish_from_system(
            c,
            congress,
            ("general", &title, &body),
            &audience,
            now,
            s.tz,
            s.quiet_hours,
        )?;
        if !store::mark_published(c, id, notice, now)? {
            return Err(AppError::conflict(Code::AlreadyPublished, "the consultation was published meanwhile"));
        }
        store::fill_audience(c, id, &deputies)?;
        crate::audit::Entry::by(&p, "consultation.publish", "consultation", id.to_string())
            .region(Some(row.region_path.clone()))
            .write(c, now)?;
        let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        Ok((access::view(c, row, Stand::Staff, now)?, wake))
    })
    .await?;
    crate::live::announce(&state, &[wake]).await;
    Ok(web::Json(v))
}
