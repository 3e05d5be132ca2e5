//! What the ledger publishes: quarterly ranking snapshots (亮分), fixed once published (the
//! database refuses to change them), and a daily digest of every chain head, written to the log
//! and the bus so that a rewrite of whole chains shows against copies kept outside the database.

use super::model::YearQuery;
use super::store::published::{self as store, NewSnapshot, SnapshotRecord};
use super::store::ranks::RankScope;
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::http::{page, Page, PageQuery};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

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

fn view(r: SnapshotRecord) -> SnapshotView {
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
        let all = super::store::ranks::top(c, b.year, &scope, i64::MAX)?;
        let rows: Vec<(i32, i64, i64)> =
            super::rules::ranked(&all).into_iter().map(|(d, pts, rank)| (rank as i32, d, pts)).collect();
        let snap =
            NewSnapshot { year: b.year, quarter: b.quarter, region_id, region_path: &path, by: p.account_id, at: now };
        let rec = store::insert_snapshot(c, &snap, &rows).map_err(|e| match e {
            e if e.code == Code::AlreadyExists => {
                AppError::conflict(Code::AlreadyPublished, "this quarter's ranking is already published")
            }
            e => e,
        })?;
        let id = rec.0;
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

/// The digest over every chain head as of entry `upto`: SHA-256 over "deputy:entry:hash\n" lines
/// in deputy order, each deputy's last entry up to `upto`. Answers (heads, digest).
pub fn heads_digest(c: &mut AnyConnection, upto: i64) -> AppResult<(i64, String)> {
    let mut heads = store::heads_upto(c, upto)?;
    heads.sort();
    let mut h = Sha256::new();
    for (d, id, hash) in &heads {
        h.update(format!("{d}:{id}:{hash}\n").as_bytes());
    }
    Ok((heads.len() as i64, hex::encode(h.finalize())))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HeadPublication {
    pub day: String,
    pub heads: i64,
    /// The newest entry the digest covers.
    pub entries_upto: i64,
    pub digest: String,
    pub published_at: DateTime<Utc>,
    /// Whether the ledger still yields this digest (false: chains were rewritten).
    pub still_matches: Option<bool>,
}

/// Publishes today's digest of the chain heads (once a day; later calls the same day do
/// nothing). Returns it when published now.
pub async fn publish_heads(state: &AppState) -> AppResult<Option<HeadPublication>> {
    let day = state.clock.now().with_timezone(&state.settings.tz).format("%Y-%m-%d").to_string();
    let now = state.now();
    let published = db::tx(&state.db, move |c| {
        if store::heads_published_on(c, &day)? {
            return Ok(None);
        }
        let upto = super::store::max_entry_id(c)?;
        let (heads, digest) = heads_digest(c, upto)?;
        store::insert_heads_publication(c, &day, heads, upto, &digest, now)?;
        Ok(Some(HeadPublication {
            day,
            heads,
            entries_upto: upto,
            digest,
            published_at: utc(now),
            still_matches: None,
        }))
    })
    .await?;
    if let Some(p) = &published {
        tracing::info!(target: "ledger_heads", day = %p.day, heads = p.heads, entries_upto = p.entries_upto, digest = %p.digest, "published the ledger's chain heads");
        if let Ok(msg) = serde_json::to_string(p) {
            let _ = state.cache.publish("ledger-heads", &msg).await;
        }
    }
    Ok(published)
}

/// The published digests of the chain heads, newest first, each checked against the ledger now
/// (admins).
#[utoipa::path(tag = "ledger", responses((status = 200, body = Vec<HeadPublication>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/ledger/heads")]
pub async fn published_heads(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<HeadPublication>>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff verify the ledger"));
    }
    let out = db::run(&state.db, |c| {
        let rows = store::heads_publications(c)?;
        rows.into_iter()
            .map(|(day, heads, upto, digest, at)| {
                let now = heads_digest(c, upto)?.1;
                Ok(HeadPublication {
                    day,
                    heads,
                    entries_upto: upto,
                    still_matches: Some(now == digest),
                    digest,
                    published_at: utc(at),
                })
            })
            .collect()
    })
    .await?;
    Ok(web::Json(out))
}
