//! API types of open duty data: a congress's choice to publish, a published ranking's rows as
//! the public sees them, and a deputy's yearly public summary.

use crate::checkins::DutySummary;
use crate::ledger::model::CategoryTotal;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Whether a congress publishes its ranking snapshots (亮分) and its deputies' yearly summaries.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenDataSetting {
    pub region_id: i64,
    /// Off until the congress chooses to publish.
    pub publish: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenDataUpdate {
    pub publish: bool,
}

/// One row of a published ranking, for the public.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSnapshotRow {
    pub rank: i32,
    /// The deputy's public code (their card: `/m/{code}`).
    pub deputy_code: String,
    pub name: String,
    pub points: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicSnapshotsQuery {
    /// GB/T 2260 code of the congress (default: every congress that publishes).
    pub region_code: Option<String>,
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
}

/// How many of a deputy's suggestions ended how.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionOutcome {
    pub status: String,
    /// The deputy's satisfaction with the answer, once given.
    pub satisfaction: Option<String>,
    pub count: i64,
}

/// The public part of a deputy's yearly duty archive (履职情况): counts, points, suggestions
/// and their outcomes — no entries, appeals or notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSummary {
    pub deputy_code: String,
    pub name: String,
    pub year: i32,
    pub duty: DutySummary,
    pub suggestions: i64,
    pub suggestion_outcomes: Vec<SuggestionOutcome>,
    pub opinions_answered: i64,
    pub points_total: i64,
    pub points_by_category: Vec<CategoryTotal>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicYear {
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
}
