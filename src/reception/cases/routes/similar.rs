//! Similar open cases nearby: shown to a constituent before filing, so they may follow one instead.

use super::opinions::{constituent, SIMILAR_PER_HOUR};
use crate::auth::Principal;
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, ReadErrors};
use crate::platform::ratelimit;
use crate::reception::cases::rules::{self as rules};
use crate::reception::store::handling as hs;
use crate::reception::store::opinions::{self as store, OpinionRow};
use crate::state::AppState;
use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SimilarQuery {
    pub category: String,
    pub latitude: f64,
    pub longitude: f64,
    /// wgs84 (default), gcj02 (WeChat's and Amap's position) or bd09.
    pub coord_system: Option<String>,
}

/// An open case near a place. Constituents see a summary: the title only once staff approved it
/// as public (empty otherwise), the distance in steps of 100 m; staff see the case's own title
/// and distance.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SimilarCase {
    pub ticket: String,
    pub category: String,
    pub title: String,
    pub status: String,
    pub distance_m: f64,
    pub created_at: DateTime<Utc>,
}

/// Cases still open within 200 m and 30 days: (case, distance), nearest first.
pub fn similar_to(
    c: &mut AnyConnection,
    category: &str,
    at: (f64, f64),
    now: chrono::NaiveDateTime,
    except: i64,
) -> AppResult<Vec<(OpinionRow, f64)>> {
    let since = now - chrono::Duration::days(rules::DUPLICATE_DAYS);
    let rows = hs::nearby_open(c, category, rules::bbox(at, rules::DUPLICATE_METRES), since, except)?;
    let mut near: Vec<(OpinionRow, f64)> = rows
        .into_iter()
        .filter_map(|o| Some((o.latitude?, o.longitude?, o)))
        .map(|(la, lo, o)| (o, rules::distance_m(at, (la, lo))))
        .filter(|(_, d)| *d <= rules::DUPLICATE_METRES)
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(near)
}

/// Open cases of the same category within 200 m of a place, left in the last 30 days: follow
/// one of them instead of filing the matter again. A summary of each (see `SimilarCase`), at
/// most 10, and 20 looks an hour per constituent (429).
#[utoipa::path(tag = "reception", params(SimilarQuery), responses((status = 200, body = Vec<SimilarCase>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/opinions/similar")]
pub async fn similar(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<SimilarQuery>,
) -> AppResult<web::Json<Vec<SimilarCase>>> {
    let q = q.into_inner();
    let mut errs = crate::org::rules::check_position(q.latitude, q.longitude);
    if !rules::CATEGORIES.contains(&q.category.as_str()) {
        errs.push(crate::error::FieldError::new("category", "invalid_value", rules::CATEGORIES.join(", ")));
    }
    let at = rules::to_wgs84(q.coord_system.as_deref(), q.latitude, q.longitude);
    if let Err(e) = &at {
        errs.push(e.clone());
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let at = at.unwrap_or((q.latitude, q.longitude));
    let now = state.now();
    // Walking a claimed position around a town is bounded: a few looks an hour.
    ratelimit::hit(&state.cache, &state.clock, &format!("similar:{}", p.account_id), SIMILAR_PER_HOUR, 3600).await?;
    let (v, public) = db::run(&state.db, move |c| {
        constituent(c, &p)?;
        let near: Vec<(OpinionRow, f64)> = similar_to(c, &q.category, at, now, 0)?.into_iter().take(10).collect();
        let public = store::publications(c, &near.iter().map(|(o, _)| o.id).collect::<Vec<_>>())?;
        Ok((near, public))
    })
    .await?;
    Ok(web::Json(v.into_iter().map(|(o, d)| similar_case(o, d, Some(&public))).collect()))
}

/// A case as a similar one near a place: in full for staff (`public` is `None`); otherwise a
/// summary, with the title staff approved as public (empty without one) and the distance in steps
/// of 100 m.
pub fn similar_case(
    o: OpinionRow,
    distance: f64,
    public: Option<&std::collections::HashMap<i64, (String, Option<String>)>>,
) -> SimilarCase {
    let (title, distance_m) = match public {
        None => (o.title, distance.round()),
        Some(p) => {
            (p.get(&o.id).map(|x| x.0.clone()).unwrap_or_default(), ((distance / 100.0).ceil() * 100.0).max(100.0))
        }
    };
    SimilarCase {
        ticket: o.ticket,
        category: o.category,
        title,
        status: o.status,
        distance_m,
        created_at: utc(o.created_at),
    }
}
