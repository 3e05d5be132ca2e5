//! API types of the annual evaluation: its settings per congress and what it finds.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSettings {
    pub min_group_activities: i32,
    pub min_suggestions: i32,
    /// Share of the ranked deputies proposed as excellent, 1–50 (%).
    pub excellent_quota_pct: i32,
    /// How deep "the bottom of the ranking" goes.
    pub bottom_n: i32,
    /// Deputies who do not compete for excellent (e.g. leaders).
    pub excluded_deputy_ids: Vec<i64>,
    /// The year (the term's last) by which every deputy must have reported to their voters
    /// (述职评议); from that year a deputy without a delivered report of the five years up to
    /// the evaluated one is listed below minimums (`duty_report`). None: not required.
    #[serde(default)]
    pub duty_report_due_year: Option<i32>,
}

impl Default for EvaluationSettings {
    fn default() -> Self {
        EvaluationSettings {
            min_group_activities: 3,
            min_suggestions: 1,
            excellent_quota_pct: 10,
            bottom_n: 5,
            excluded_deputy_ids: vec![],
            duty_report_due_year: None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EffectiveSettings {
    /// The congress whose settings apply (0: the installation's; none stored: the defaults).
    pub from_region_id: Option<i64>,
    pub settings: EvaluationSettings,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EvaluationQuery {
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
    /// The congress evaluated (default: the caller's scope).
    pub region_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BelowMinimum {
    pub deputy_id: i64,
    pub name: String,
    pub group_activities: i64,
    pub suggestions: i64,
    /// `group_activities`, `suggestions` and/or `duty_report`.
    pub missing: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Placed {
    pub deputy_id: i64,
    pub name: String,
    pub points: i64,
    pub rank: usize,
    /// The rank a year before (bottom list only).
    pub last_year_rank: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub year: i32,
    pub settings: EffectiveSettings,
    pub deputies: usize,
    pub below_minimums: Vec<BelowMinimum>,
    /// The top quota of the ranking without the excluded deputies; ties at the cut are included.
    pub excellent_candidates: Vec<Placed>,
    /// In the bottom `bottom_n` this year and the year before.
    pub bottom_two_years: Vec<Placed>,
}
