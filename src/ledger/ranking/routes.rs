//! Ranking routes: a year's top list and the caller's place, and the quarterly snapshots (亮分),
//! fixed once published (the database refuses to change them).

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::ledger::model::{Ranking, RankingQuery, YearQuery};
use crate::ledger::store::published::{self as store, NewSnapshot, SnapshotRecord};
use crate::ledger::store::ranks::RankScope;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Ranking of a year: top N in a scope (region subtree, seat level, group), and the caller's own
/// place. Read from the leaderboards when they are on (and built, and the cache answers), from
/// SQL otherwise; `source` says which.
#[utoipa::path(tag = "ledger", params(RankingQuery), responses((status = 200, body = Ranking), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/rankings")]
pub async fn ranking(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<RankingQuery>,
) -> AppResult<web::Json<Ranking>> {
    let q = q.into_inner();
    let year = q.year.unwrap_or_else(|| crate::ledger::this_year(&state));
    let limit = q.limit.unwrap_or(20).clamp(1, 200);
    if q.level.as_deref().is_some_and(|l| !crate::org::rules::DEPUTY_LEVELS.contains(&l)) {
        return Err(AppError::invalid_field("level", "invalid_value", crate::org::rules::DEPUTY_LEVELS.join(", ")));
    }
    if q.group_id.is_some() && (q.region_id.is_some() || q.level.is_some()) {
        return Err(AppError::invalid_field("group_id", "exclusive", "a group ranking takes no region_id or level"));
    }
    Ok(web::Json(super::read::read(&state, p, q, year, limit).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotCreate {
    #[serde(deserialize_with = "crate::http::year")]
    #[schema(minimum = 1949, maximum = 2200)]
    pub year: i32,
    /// 1–4.
    pub quarter: i32,
    /// The congress whose deputies it ranks (default: the caller's whole scope).
    pub region_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SnapshotView {
    pub id: i64,
    pub year: i32,
    pub quarter: i32,
    /// 0: the whole installation.
    pub region_id: i64,
    pub deputies: i64,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SnapshotRow {
    pub rank: i32,
    pub deputy_id: i64,
    pub points: i64,
}

pub fn view(r: SnapshotRecord) -> SnapshotView {
    SnapshotView { id: r.0, year: r.1, quarter: r.2, region_id: r.3, deputies: r.5, published_at: utc(r.6) }
}

/// Publish the ranking of a year as it stands now, as the given quarter's public scoring; it
/// never changes afterwards (admins in scope; once per year, quarter and congress).
#[utoipa::path(tag = "ledger", request_body = SnapshotCreate, responses((status = 201, body = SnapshotView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/rankings/snapshots")]
pub async fn publish(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<SnapshotCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff publish rankings"));
    }
    if !(1..=4).contains(&b.quarter) {
        return Err(AppError::invalid_field("quarter", "out_of_range", "1–4"));
    }
    let now = state.now();
    let v = db::tx(&state.db, move |c| {
        let (region_id, path) = match b.region_id.or(p.region_id) {
            Some(id) => {
                let path = crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?;
                policy::authorize(&p, Action::Write, &Target::new(Kind::Region, path.clone()))?;
                (id, path)
            }
            None => (0, "/".to_string()),
        };
        let scope = RankScope { pattern: format!("{path}%"), level: None, group: None };
        let all = crate::ledger::store::ranks::top(c, b.year, &scope, i64::MAX)?;
        let rows: Vec<(i32, i64, i64)> =
            crate::ledger::rules::ranked(&all).into_iter().map(|(d, pts, rank)| (rank as i32, d, pts)).collect();
        let snap =
            NewSnapshot { year: b.year, quarter: b.quarter, region_id, region_path: &path, by: p.account_id, at: now };
        let rec = store::insert_snapshot(c, &snap, &rows).map_err(|e| match e {
            e if e.code == Code::AlreadyExists => {
                AppError::conflict(Code::AlreadyPublished, "this quarter's ranking is already published")
            }
            e => e,
        })?;
        let id = rec.0;
        let d = crate::feed::data::RankingPublished {
            snapshot_id: id,
            region_id,
            year: b.year,
            quarter: b.quarter,
            deputies: rec.5,
        };
        crate::feed::emit(c, &[crate::feed::Event::ranking(&d, &path, now)])?;
        Entry::by(&p, "ranking.publish", "ranking_snapshot", id.to_string())
            .region(Some(path))
            .detail(format!("{} Q{}", b.year, b.quarter))
            .write(c, now)?;
        Ok(view(rec))
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Published quarterly rankings of a year (every signed-in user: they are public scoring).
#[utoipa::path(tag = "ledger", params(YearQuery), responses((status = 200, body = Vec<SnapshotView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/rankings/snapshots")]
pub async fn snapshots(
    state: web::Data<AppState>,
    _p: Principal,
    q: web::Query<YearQuery>,
) -> AppResult<web::Json<Vec<SnapshotView>>> {
    let year = q.year;
    let rows = db::run(&state.db, move |c| store::snapshots(c, year)).await?;
    Ok(web::Json(rows.into_iter().map(view).collect()))
}

/// The rows of a published ranking, by rank.
#[utoipa::path(tag = "ledger", params(("id" = i64, Path), PageQuery), responses((status = 200, body = Page<SnapshotRow>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/rankings/snapshots/{id}")]
pub async fn snapshot_rows(
    state: web::Data<AppState>,
    _p: Principal,
    id: web::Path<i64>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<SnapshotRow>>> {
    let (id, after, limit) = (id.into_inner(), pq.after()?, pq.limit()?);
    let rows = db::run(&state.db, move |c| store::snapshot_rows(c, id, after, limit)).await?;
    let mut n = after;
    let numbered: Vec<(i64, (i32, i64, i64))> = rows
        .into_iter()
        .map(|r| {
            n += 1;
            (n, r)
        })
        .collect();
    Ok(web::Json(page(
        numbered,
        limit,
        |r| r.0,
        |(_, (rank, deputy_id, points))| SnapshotRow { rank, deputy_id, points },
    )))
}
