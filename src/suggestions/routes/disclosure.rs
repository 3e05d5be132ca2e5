//! Statistics of suggestions per year, by category or by lead unit — counts, on-time replies,
//! classifications, satisfaction, each rate with the number it is taken over — and the public
//! list of replies whose authors agreed to publish them.

use crate::auth::Principal;
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, ReadErrors};
use crate::http::{page, rate, Page, PageQuery, Rate};
use crate::state::AppState;
use crate::suggestions::store::{self, SuggestionRow};
use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestionStats {
    /// The category, or the lead unit's id.
    pub key: String,
    /// Submitted in the year (withdrawn and converted ones not counted).
    pub count: i64,
    pub assigned: i64,
    pub replied: i64,
    /// Replied by the deadline, over the replied.
    pub on_time: Rate,
    pub a: i64,
    pub b: i64,
    pub c: i64,
    /// Solved or being solved (A or B), over the replied.
    pub solved_or_solving: Rate,
    /// Satisfied or basically satisfied, over the rated.
    pub satisfaction: Rate,
}

/// Counts suggestions per key (`lead`: suggestion → lead unit when grouping by unit).
pub fn aggregate(rows: &[SuggestionRow], lead: Option<&HashMap<i64, i64>>) -> Vec<SuggestionStats> {
    let mut groups: BTreeMap<String, Vec<&SuggestionRow>> = BTreeMap::new();
    for s in rows.iter().filter(|s| !matches!(s.status.as_str(), "withdrawn" | "converted")) {
        let key = match lead {
            Some(m) => match m.get(&s.id) {
                Some(u) => u.to_string(),
                None => continue,
            },
            None => s.category.clone(),
        };
        groups.entry(key).or_default().push(s);
    }
    groups
        .into_iter()
        .map(|(key, ss)| {
            let replied: Vec<&&SuggestionRow> = ss.iter().filter(|s| s.replied_at.is_some()).collect();
            let class = |c: &str| replied.iter().filter(|s| s.classification.as_deref() == Some(c)).count() as i64;
            let on_time =
                replied.iter().filter(|s| matches!((s.replied_at, s.due_at), (Some(r), Some(d)) if r <= d)).count()
                    as i64;
            let rated: Vec<&str> = ss.iter().filter_map(|s| s.satisfaction.as_deref()).collect();
            let (a, b, c) = (class("A"), class("B"), class("C"));
            SuggestionStats {
                key,
                count: ss.len() as i64,
                assigned: ss.iter().filter(|s| s.due_at.is_some()).count() as i64,
                replied: replied.len() as i64,
                on_time: rate(on_time, replied.len() as i64),
                a,
                b,
                c,
                solved_or_solving: rate(a + b, replied.len() as i64),
                satisfaction: rate(rated.iter().filter(|s| **s != "unsatisfied").count() as i64, rated.len() as i64),
            }
        })
        .collect()
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// Calendar year of submission (default: this year).
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
    /// category (default) or unit (the lead unit).
    pub by: Option<String>,
}

/// Suggestion statistics of my congress and below for a year, by category or lead unit (staff).
#[utoipa::path(tag = "suggestions", params(StatsQuery), responses((status = 200, body = Vec<SuggestionStats>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/suggestions/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<StatsQuery>,
) -> AppResult<web::Json<Vec<SuggestionStats>>> {
    let pattern = crate::suggestions::staff_scope(&p)?;
    let tz = state.settings.tz;
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&state.clock.now().with_timezone(&tz)));
    let by_unit = match q.by.as_deref() {
        None | Some("category") => false,
        Some("unit") => true,
        Some(_) => return Err(AppError::invalid_field("by", "invalid_value", "category or unit")),
    };
    let start = |y: i32| {
        chrono::NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|d| d.and_local_timezone(tz).earliest())
            .map(|d| d.naive_utc())
    };
    let (from, to) = start(year)
        .zip(start(year + 1))
        .ok_or_else(|| AppError::invalid_field("year", "out_of_range", "a calendar year"))?;
    let v = db::run(&state.db, move |c| {
        let rows = store::tracking::submitted_between(c, &pattern, from, to)?;
        let lead = if by_unit {
            Some(
                store::lead_units(c, &rows.iter().map(|s| s.id).collect::<Vec<_>>())?
                    .into_iter()
                    .collect::<HashMap<_, _>>(),
            )
        } else {
            None
        };
        Ok(aggregate(&rows, lead.as_ref()))
    })
    .await?;
    Ok(web::Json(v))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicReply {
    pub number: Option<String>,
    pub title: String,
    pub category: String,
    pub author: String,
    /// A solved, B being solved, C hard to solve now.
    pub classification: Option<String>,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
}

/// Replies to suggestions whose authors agreed to publish them, newest first (no sign-in).
#[utoipa::path(tag = "suggestions", params(PageQuery), responses((status = 200, body = Page<PublicReply>), ReadErrors))]
#[get("/api/v1/public/suggestions")]
pub async fn public_replies(
    state: web::Data<AppState>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<PublicReply>>> {
    let (before, limit) = (pq.after()?, pq.limit()?);
    let (rows, names) = db::run(&state.db, move |c| {
        let rows = store::tracking::published(c, before, limit)?;
        let names: HashMap<i64, String> =
            crate::org::deputy_names(c, &rows.iter().map(|s| s.author_deputy_id).collect::<Vec<_>>())?
                .into_iter()
                .collect();
        Ok((rows, names))
    })
    .await?;
    Ok(web::Json(page(
        rows,
        limit,
        |s| s.id,
        |s| PublicReply {
            author: names.get(&s.author_deputy_id).cloned().unwrap_or_default(),
            number: s.number,
            title: s.title,
            category: s.category,
            classification: s.classification,
            reply: s.reply,
            replied_at: s.replied_at.map(utc),
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn row(id: i64, category: &str, class: Option<&str>, on_time: bool, sat: Option<&str>) -> SuggestionRow {
        let t = NaiveDateTime::parse_from_str("2026-03-01 00:00", "%Y-%m-%d %H:%M").unwrap();
        let due = t + chrono::Duration::days(90);
        SuggestionRow {
            id,
            number: None,
            author_deputy_id: 1,
            author_account: 1,
            region_path: "/1/".into(),
            title: "t".into(),
            content: "c".into(),
            category: category.into(),
            period: "session".into(),
            status: if class.is_some() { "evaluated".into() } else { "assigned".into() },
            publish_consent: false,
            key_leader: None,
            due_at: Some(due),
            classification: class.map(str::to_string),
            reply: class.map(|_| "r".to_string()),
            replied_at: class.map(|_| {
                if on_time {
                    due - chrono::Duration::days(1)
                } else {
                    due + chrono::Duration::days(1)
                }
            }),
            satisfaction: sat.map(str::to_string),
            evaluation: None,
            round: 1,
            extension_months: None,
            extension_reason: None,
            cleared_at: None,
            reminded_at: None,
            excellent: false,
            submitted_at: Some(t),
            created_at: t,
            updated_at: t,
            version: 1,
            opinion_ticket: None,
        }
    }

    #[test]
    fn rates_come_with_their_volumes() {
        let rows = vec![
            row(1, "transport", Some("A"), true, Some("satisfied")),
            row(2, "transport", Some("B"), false, Some("unsatisfied")),
            row(3, "transport", Some("C"), true, None),
            row(4, "transport", None, false, None),
            row(5, "education", Some("A"), true, Some("basically_satisfied")),
        ];
        let s = aggregate(&rows, None);
        let t = s.iter().find(|x| x.key == "transport").unwrap();
        assert_eq!((t.count, t.replied, t.a, t.b, t.c), (4, 3, 1, 1, 1));
        assert_eq!(t.on_time, Rate { rate: Some(0.667), of: 3 });
        assert_eq!(t.solved_or_solving, Rate { rate: Some(0.667), of: 3 });
        assert_eq!(t.satisfaction, Rate { rate: Some(0.5), of: 2 });
        let by_unit = aggregate(&rows, Some(&HashMap::from([(1, 7), (5, 7)])));
        assert_eq!((by_unit.len(), by_unit[0].key.as_str(), by_unit[0].count), (1, "7", 2));
    }
}
