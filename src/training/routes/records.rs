//! Route: a course's records for congress staff — per deputy, materials opened, attempts, best
//! score and completion.

use super::access::{self, Stand};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::state::AppState;
use crate::training::model::CourseRecord;
use crate::training::store;
use actix_web::{get, web};
use std::collections::HashMap;

/// A course's records per deputy (congress staff in scope).
#[utoipa::path(tag = "training", params(("id" = i64, Path)), responses((status = 200, body = Vec<CourseRecord>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/courses/{id}/records")]
pub async fn records(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<Vec<CourseRecord>>> {
    let id = id.into_inner();
    let out = db::run(&state.db, move |c| {
        let (_, stand) = access::open(c, &p, id)?;
        if stand != Stand::Staff {
            return Err(AppError::forbidden(Code::Forbidden, "congress staff read the records"));
        }
        let recs = store::records(c, id)?;
        let mut ids: Vec<i64> = recs.keys().copied().collect();
        ids.sort_unstable();
        let names: HashMap<i64, String> = crate::org::deputy_names(c, &ids)?.into_iter().collect();
        Ok(ids
            .into_iter()
            .map(|d| {
                let (opened, attempts, best, done) = recs.get(&d).cloned().unwrap_or_default();
                CourseRecord {
                    deputy_id: d,
                    name: names.get(&d).cloned().unwrap_or_default(),
                    materials_opened: opened,
                    attempts,
                    best_score: best,
                    completed_at: done.map(crate::db::utc),
                }
            })
            .collect())
    })
    .await?;
    Ok(web::Json(out))
}
