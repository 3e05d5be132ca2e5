//! Routes: courses — created by congress staff with their materials and question bank, listed
//! for staff (their congress) and deputies (their congresses), read with the deputy's progress.

use super::access::{self, Stand};
use crate::auth::policy::Action;
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::state::AppState;
use crate::training::model::{CourseCreate, CourseQuery, CourseView};
use crate::training::rules;
use crate::training::store::{self, NewCourse};
use actix_web::{get, post, web, HttpResponse};

/// Create a course (congress staff in scope; an offline course names a training event of the
/// congress).
#[utoipa::path(tag = "training", request_body = CourseCreate, responses((status = 201, body = CourseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/courses")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<CourseCreate>,
) -> AppResult<HttpResponse> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff set courses"));
    }
    let b = body.into_inner();
    let now = state.now();
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let errs = rules::check(&b, today);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let refusal = ("region_id", "congress staff set courses");
        let (id, path) = crate::org::staff_congress(c, &p, b.region_id, Action::Write, refusal)?;
        let event = match (b.kind.as_str(), b.event_id) {
            ("offline", Some(e)) => match crate::checkins::event_brief(c, e)? {
                Some((kind, _, epath, _)) if kind == "training" && epath.starts_with(&path) => Some(e),
                _ => {
                    return Err(AppError::invalid_field(
                        "event_id",
                        "invalid_value",
                        "a training event of the congress",
                    ))
                }
            },
            _ => None,
        };
        let materials = serde_json::to_string(&b.materials).map_err(AppError::internal)?;
        let n = NewCourse {
            congress: (id, &path),
            term: b.term,
            title: b.title.trim(),
            kind: &b.kind,
            event_id: event,
            materials: &materials,
            min_seconds: b.min_seconds,
            pass_mark: b.pass_mark.unwrap_or(60),
            max_attempts: b.max_attempts.unwrap_or(3),
            closes_on: &b.closes_on,
            initial: b.initial,
            by: p.account_id,
        };
        let cid = store::insert(c, &n, now)?;
        for (i, q) in b.questions.iter().enumerate() {
            let options = serde_json::to_string(&rules::options(q)).map_err(AppError::internal)?;
            let answer = serde_json::to_string(&q.answer).map_err(AppError::internal)?;
            store::insert_question(c, cid, i as i32, (&q.kind, q.text.trim()), (&options, &answer))?;
        }
        crate::audit::Entry::by(&p, "course.create", "course", cid.to_string()).region(Some(path)).write(c, now)?;
        let row = store::get(c, cid)?.ok_or_else(AppError::not_found)?;
        access::view(c, row, Stand::Staff, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Courses: a congress's for its staff; those of a deputy's congresses (and the ones above) for
/// a deputy, with their progress.
#[utoipa::path(tag = "training", params(CourseQuery), responses((status = 200, body = Vec<CourseView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/courses")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<CourseQuery>,
) -> AppResult<web::Json<Vec<CourseView>>> {
    let now = state.now();
    let out = db::run(&state.db, move |c| {
        let (rows, stand) = match (p.role, p.deputy_id) {
            (Role::Deputy, Some(d)) => {
                let paths: Vec<String> =
                    access::seat_paths(c, d)?.iter().flat_map(|s| crate::org::rules::ancestors(s)).collect();
                (store::list(c, &paths, None, q.term)?, Stand::Deputy(d))
            }
            (Role::Admin, _) => {
                let refusal = ("region_id", "congress staff see courses");
                let (_, path) = crate::org::staff_congress(c, &p, q.region_id, Action::Read, refusal)?;
                (store::list(c, &[], Some(&path), q.term)?, Stand::Staff)
            }
            _ => return Err(AppError::forbidden(Code::Forbidden, "deputies and congress staff see courses")),
        };
        rows.into_iter().map(|r| access::view(c, r, stand, now)).collect::<AppResult<Vec<_>>>()
    })
    .await?;
    Ok(web::Json(out))
}

/// A course with its materials and questions (never the answers) and the deputy's progress.
#[utoipa::path(tag = "training", params(("id" = i64, Path)), responses((status = 200, body = CourseView), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/courses/{id}")]
pub async fn get(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<CourseView>> {
    let (id, now) = (id.into_inner(), state.now());
    let v = db::run(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id)?;
        access::view(c, row, stand, now)
    })
    .await?;
    Ok(web::Json(v))
}
