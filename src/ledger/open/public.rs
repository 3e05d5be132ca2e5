//! Public routes of open duty data (no sign-in): the ranking snapshots (亮分) and deputies'
//! yearly summaries of the congresses that chose to publish them; anything else is 404.

use super::model::*;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, ReadErrors};
use crate::http::{page, Page, PageQuery};
use crate::ledger::ranking::{snapshot_view, SnapshotView};
use crate::ledger::rules::path_ids;
use crate::ledger::store::{open, published};
use crate::state::AppState;
use actix_web::{get, web};
use chrono::TimeZone;

/// Whether the congress of `region` publishes (region 0, the whole installation, never does).
fn publishes(c: &mut AnyConnection, region: i64) -> AppResult<bool> {
    Ok(region > 0 && !open::publishing(c, &[region])?.is_empty())
}

/// Published ranking snapshots of the congresses that publish them, oldest first.
#[utoipa::path(tag = "public", params(PublicSnapshotsQuery), responses((status = 200, body = Vec<SnapshotView>), ReadErrors))]
#[get("/api/v1/public/rankings/snapshots")]
pub async fn snapshots(
    state: web::Data<AppState>,
    q: web::Query<PublicSnapshotsQuery>,
) -> AppResult<web::Json<Vec<SnapshotView>>> {
    let q = q.into_inner();
    let rows = db::read(&state.db, move |c| {
        let only = match &q.region_code {
            Some(code) => Some(crate::org::region_by_code(c, code)?.ok_or_else(AppError::not_found)?.id),
            None => None,
        };
        let all = published::snapshots(c, q.year)?;
        let mut regions: Vec<i64> = all.iter().map(|s| s.3).collect();
        regions.sort_unstable();
        regions.dedup();
        let open = open::publishing(c, &regions)?;
        Ok(all.into_iter().filter(|s| open.contains(&s.3) && only.is_none_or(|r| r == s.3)).collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(rows.into_iter().map(snapshot_view).collect()))
}

/// The rows of a published ranking snapshot, by rank (404 unless its congress publishes).
#[utoipa::path(tag = "public", params(("id" = i64, Path), PageQuery), responses((status = 200, body = Page<PublicSnapshotRow>), ReadErrors))]
#[get("/api/v1/public/rankings/snapshots/{id}")]
pub async fn snapshot_rows(
    state: web::Data<AppState>,
    id: web::Path<i64>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<PublicSnapshotRow>>> {
    let (id, after, limit) = (id.into_inner(), pq.after()?, pq.limit()?);
    let rows = db::read(&state.db, move |c| {
        let snap = published::snapshot(c, id)?.ok_or_else(AppError::not_found)?;
        if !publishes(c, snap.3)? {
            return Err(AppError::not_found());
        }
        let rows = published::snapshot_rows(c, id, after, limit)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.1).collect();
        let faces: std::collections::HashMap<i64, (String, String)> =
            crate::org::public_briefs(c, &ids)?.into_iter().map(|(d, name, code, _)| (d, (name, code))).collect();
        Ok(rows
            .into_iter()
            .enumerate()
            .map(|(i, (rank, d, points))| {
                let (name, code) = faces.get(&d).cloned().unwrap_or_default();
                (after + i as i64 + 1, PublicSnapshotRow { rank, deputy_code: code, name, points })
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(page(rows, limit, |r| r.0, |r| r.1)))
}

/// The public summary of a deputy's year, when one of the congresses they sit in publishes.
pub fn summary(c: &mut AnyConnection, state: &AppState, code: &str, year: i32) -> AppResult<Option<PublicSummary>> {
    let Some((id, name, _, _)) = crate::org::public_deputy(c, code)? else { return Ok(None) };
    let seats = crate::org::deputy_scopes(c, &[id])?.remove(&id).unwrap_or_default();
    let congresses: Vec<i64> = seats.iter().filter_map(|s| path_ids(&s.path).last().copied()).collect();
    if open::publishing(c, &congresses)?.is_empty() {
        return Ok(None);
    }
    let tz = state.settings.tz;
    let a = crate::ledger::archive::build(c, id, year, tz, state.clock.now())?;
    let bound = |y: i32| tz.with_ymd_and_hms(y, 1, 1, 0, 0, 0).earliest().map(|t| t.naive_utc()).unwrap_or_default();
    let outcomes = crate::suggestions::suggestion_outcomes(c, id, (bound(year), bound(year + 1)))?
        .into_iter()
        .map(|(status, satisfaction, count)| SuggestionOutcome { status, satisfaction, count })
        .collect();
    Ok(Some(PublicSummary {
        deputy_code: code.to_string(),
        name,
        year,
        duty: a.duty,
        suggestions: a.suggestions,
        suggestion_outcomes: outcomes,
        opinions_answered: a.opinions_answered,
        points_total: a.points_total,
        points_by_category: a.points_by_category,
    }))
}

/// A deputy's yearly duty summary (履职情况) by their public code (404 unless published).
#[utoipa::path(tag = "public", params(("code" = String, Path), PublicYear), responses((status = 200, body = PublicSummary), ReadErrors))]
#[get("/api/v1/public/deputies/{code}/summary")]
pub async fn deputy_summary(
    state: web::Data<AppState>,
    code: web::Path<String>,
    q: web::Query<PublicYear>,
) -> AppResult<web::Json<PublicSummary>> {
    let year = q.year.unwrap_or_else(|| crate::ledger::this_year(&state));
    let (code, st) = (code.into_inner(), state.get_ref().clone());
    let s = db::read(&state.db, move |c| summary(c, &st, &code, year)).await?;
    Ok(web::Json(s.ok_or_else(AppError::not_found)?))
}
