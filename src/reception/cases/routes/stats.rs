//! Reception statistics per station, deputy, unit or region and month: received, answered,
//! forwarded, solved rate, median time to the first answer, satisfaction — each rate with the
//! volume it is taken over, so a busy deputy is not shown as a poor one. The counting is a pure
//! function over the cases' facts; the route only loads them.

use crate::auth::Principal;
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, ReadErrors};
use crate::http::{rate, Rate};
use crate::reception::store::handling as hs;
use crate::state::AppState;
use actix_web::{get, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The facts of one case that statistics count.
#[derive(Debug, Clone)]
pub struct Facts {
    pub station: Option<i64>,
    pub deputy: Option<i64>,
    pub unit: Option<i64>,
    pub region_path: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub first_answer_at: Option<NaiveDateTime>,
    pub forwarded_at: Option<NaiveDateTime>,
    pub due_at: Option<NaiveDateTime>,
    pub satisfaction: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatLine {
    /// The station, deputy or unit id, or the region path.
    pub key: String,
    /// YYYY-MM (congress time zone).
    pub month: String,
    /// Opinions left (withdrawn and merged ones not counted).
    pub received: i64,
    pub answered: i64,
    pub forwarded: i64,
    /// Share answered (by the deputy or a unit).
    pub answered_rate: Rate,
    /// Closed or rated and not rated unsatisfied, over the received.
    pub solved_rate: Rate,
    /// Median hours from submission to the first answer, over the answered.
    pub median_hours_to_answer: Option<f64>,
    /// Satisfied or basically satisfied, over the rated.
    pub satisfaction_rate: Rate,
    /// Forwarded and past the deadline now.
    pub overdue: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Station,
    Deputy,
    Unit,
    Region,
}

fn key(f: &Facts, by: By) -> Option<String> {
    match by {
        By::Station => f.station.map(|x| x.to_string()),
        By::Deputy => f.deputy.map(|x| x.to_string()),
        By::Unit => f.unit.map(|x| x.to_string()),
        By::Region => Some(f.region_path.clone()),
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    let x = if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 };
    Some((x * 10.0).round() / 10.0)
}

/// Counts the cases per key and month.
pub fn aggregate(facts: &[Facts], by: By, tz: chrono_tz::Tz, now: NaiveDateTime) -> Vec<StatLine> {
    let mut groups: BTreeMap<(String, String), Vec<&Facts>> = BTreeMap::new();
    for f in facts.iter().filter(|f| !matches!(f.status.as_str(), "withdrawn" | "merged")) {
        if let Some(k) = key(f, by) {
            groups.entry((k, utc(f.created_at).with_timezone(&tz).format("%Y-%m").to_string())).or_default().push(f);
        }
    }
    groups
        .into_iter()
        .map(|((key, month), fs)| {
            let received = fs.len() as i64;
            let answered: Vec<f64> = fs
                .iter()
                .filter_map(|f| f.first_answer_at.map(|a| (a - f.created_at).num_seconds() as f64 / 3600.0))
                .collect();
            let solved = fs
                .iter()
                .filter(|f| {
                    matches!(f.status.as_str(), "closed" | "rated") && f.satisfaction.as_deref() != Some("unsatisfied")
                })
                .count() as i64;
            let rated: Vec<&str> = fs.iter().filter_map(|f| f.satisfaction.as_deref()).collect();
            let happy = rated.iter().filter(|s| **s != "unsatisfied").count() as i64;
            StatLine {
                key,
                month,
                received,
                answered: answered.len() as i64,
                forwarded: fs.iter().filter(|f| f.forwarded_at.is_some()).count() as i64,
                answered_rate: rate(answered.len() as i64, received),
                solved_rate: rate(solved, received),
                median_hours_to_answer: median(answered),
                satisfaction_rate: rate(happy, rated.len() as i64),
                overdue: fs.iter().filter(|f| f.status == "forwarded" && f.due_at.is_some_and(|d| d < now)).count()
                    as i64,
            }
        })
        .collect()
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsQuery {
    /// station, deputy, unit or region.
    pub by: By,
    /// First month, YYYY-MM (default: January of this year).
    pub from: Option<String>,
    /// Last month, YYYY-MM (default: this month).
    pub to: Option<String>,
}

fn month_start(s: &str, field: &str) -> AppResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
        .map_err(|_| AppError::invalid_field(field, "invalid_month", "YYYY-MM"))
}

/// Reception statistics of the cases I handle as staff, per key and month, each rate with its volume.
#[utoipa::path(tag = "reception", params(StatsQuery), responses((status = 200, body = Vec<StatLine>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/opinions/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<StatsQuery>,
) -> AppResult<web::Json<Vec<StatLine>>> {
    let owner = crate::reception::cases::routes::handling::staff_owner(&p)?;
    let (tz, now) = (state.settings.tz, state.now());
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let from = match &q.from {
        Some(s) => month_start(s, "from")?,
        None => month_start(&today.format("%Y-01").to_string(), "from")?,
    };
    let to = match &q.to {
        Some(s) => month_start(s, "to")?,
        None => month_start(&today.format("%Y-%m").to_string(), "to")?,
    };
    let end = to
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| AppError::invalid_field("to", "invalid_month", "YYYY-MM"))?;
    if end <= from || (end - from).num_days() > 3 * 366 {
        return Err(AppError::invalid_field("to", "out_of_range", "from ≤ to, at most 3 years"));
    }
    let bound = |d: chrono::NaiveDate| {
        d.and_hms_opt(0, 0, 0).and_then(|x| x.and_local_timezone(tz).earliest()).map(|x| x.naive_utc())
    };
    let (lo, hi) = (
        bound(from).ok_or_else(|| AppError::internal("bad month"))?,
        bound(end).ok_or_else(|| AppError::internal("bad month"))?,
    );
    let by = q.by;
    let facts = db::run(&state.db, move |c| hs::facts(c, &owner, lo, hi)).await?;
    Ok(web::Json(aggregate(&facts, by, tz, now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn case(deputy: i64, status: &str, answered_after_h: Option<i64>, sat: Option<&str>) -> Facts {
        let created = at("2026-11-02 02:00");
        Facts {
            station: Some(1),
            deputy: Some(deputy),
            unit: None,
            region_path: "/34/".into(),
            status: status.into(),
            created_at: created,
            first_answer_at: answered_after_h.map(|h| created + chrono::Duration::hours(h)),
            forwarded_at: None,
            due_at: None,
            satisfaction: sat.map(str::to_string),
        }
    }

    #[test]
    fn every_rate_comes_with_its_volume() {
        let mut busy: Vec<Facts> = (0..40).map(|_| case(1, "rated", Some(10), Some("satisfied"))).collect();
        busy.extend((0..10).map(|_| case(1, "rated", Some(30), Some("unsatisfied"))));
        let quiet = vec![case(2, "rated", Some(2), Some("satisfied")), case(2, "withdrawn", None, None)];
        let all: Vec<Facts> = busy.into_iter().chain(quiet).collect();
        let lines = aggregate(&all, By::Deputy, chrono_tz::Asia::Shanghai, at("2026-11-20 00:00"));
        assert_eq!(lines.len(), 2);
        let (b, q) = (&lines[0], &lines[1]);
        assert_eq!((b.key.as_str(), b.month.as_str(), b.received), ("1", "2026-11", 50));
        assert_eq!(b.satisfaction_rate, Rate { rate: Some(0.8), of: 50 });
        assert_eq!(b.solved_rate, Rate { rate: Some(0.8), of: 50 });
        assert_eq!(b.median_hours_to_answer, Some(10.0));
        // The quiet deputy's perfect rate is over one case, and says so.
        assert_eq!(q.satisfaction_rate, Rate { rate: Some(1.0), of: 1 });
        assert_eq!(q.received, 1);
    }

    #[test]
    fn months_follow_the_congress_calendar() {
        let mut f = case(1, "submitted", None, None);
        f.created_at = at("2026-10-31 17:00"); // 01:00 on 1 November in Shanghai
        let lines = aggregate(&[f], By::Region, chrono_tz::Asia::Shanghai, at("2026-11-20 00:00"));
        assert_eq!(lines[0].month, "2026-11");
        assert_eq!(lines[0].answered_rate, Rate { rate: Some(0.0), of: 1 });
        assert_eq!(lines[0].median_hours_to_answer, None);
    }
}
