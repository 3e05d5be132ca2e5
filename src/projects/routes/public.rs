//! Routes: the adopted projects as the public sees them (民生实事公开) — ranked by approvals, with
//! their units, progress, milestones (red light) and, once assessed, the ratings with their
//! volumes — for a region's congresses or the congresses a station lies under.

use super::views;
use super::works::ctx;
use crate::db;
use crate::error::{AppError, AppResult, Problem};
use crate::projects::model::{PublicProject, PublicProjectQuery};
use crate::projects::rules::works::ancestors;
use crate::projects::store;
use crate::state::AppState;
use actix_web::{get, web};

/// Adopted livelihood projects and their progress, for anyone: `region` (a region's code: the
/// congresses in it) or `station` (a station's printed code: the congresses it lies under),
/// a year if given; newest rounds first, each round's projects by rank.
#[utoipa::path(tag = "public", params(PublicProjectQuery), responses((status = 200, body = Vec<PublicProject>),
    (status = 400, body = Problem, content_type = "application/problem+json", description = "a malformed query"),
    (status = 404, body = Problem, content_type = "application/problem+json", description = "no such region or station"),
    (status = 422, body = Problem, content_type = "application/problem+json", description = "neither region nor station")))]
#[get("/api/v1/public/projects")]
pub async fn list(
    state: web::Data<AppState>,
    q: web::Query<PublicProjectQuery>,
) -> AppResult<web::Json<Vec<PublicProject>>> {
    let (q, st) = (q.into_inner(), state.clone());
    let clean = |s: &Option<String>| s.as_deref().filter(|x| x.len() <= 64 && !x.contains('\0')).map(str::to_string);
    let (region, station) = (clean(&q.region), clean(&q.station));
    if region.is_none() && station.is_none() {
        return Err(AppError::invalid_field("region", "required", "a region's code or a station's code"));
    }
    let out = db::run(&state.db, move |c| {
        let rounds = match (region, station) {
            (Some(code), _) => {
                let r = crate::org::region_by_code(c, &code)?.ok_or_else(AppError::not_found)?;
                store::decided(c, &[], Some(&crate::org::subtree_like(&r.path)), q.year)?
            }
            (None, Some(code)) => {
                let s = crate::org::station_by_code(c, &code)?.ok_or_else(AppError::not_found)?;
                let path = crate::org::region_path(c, s.region_id)?.ok_or_else(AppError::not_found)?;
                store::decided(c, &ancestors(&path), None, q.year)?
            }
            (None, None) => vec![],
        };
        let x = ctx(&st);
        let mut out = vec![];
        for r in &rounds {
            let congress = crate::org::region_ref(c, r.region_id)?.map(|g| g.name).unwrap_or_default();
            let rated = views::ratings(r);
            let rows = store::adopted(c, r.id)?;
            for p in views::projects(c, &x, rows, std::slice::from_ref(r))? {
                out.push(views::public(p, r, &congress, &rated));
            }
        }
        Ok(out)
    })
    .await?;
    Ok(web::Json(out))
}
