//! API types of the ledger.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RuleView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub category: String,
    pub points: i32,
    pub yearly_cap: Option<i32>,
    pub daily_cap: Option<i32>,
    pub needs_review: bool,
    /// The clause of the local rules it applies ("§3.2").
    pub clause: String,
    pub version: i32,
    /// The congress whose rulebook holds it (0: the installation's default rulebook).
    pub region_id: i64,
    /// YYYY-MM-DD, inclusive; none = open.
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RulebookQuery {
    /// The congress (region) whose rulebook in force to show, inherited rules included (default:
    /// the caller's own congress, or the installation's default rulebook).
    pub region_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EntryView {
    pub id: i64,
    pub rule_code: String,
    pub rule_name: String,
    pub clause: String,
    pub rule_version: i32,
    /// The congress whose rulebook the rule came from (0: the installation's default).
    pub rule_region_id: i64,
    pub category: String,
    pub points: i32,
    pub requested_points: i32,
    /// Set when a cap reduced the award.
    pub cap_note: Option<String>,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// What earned it: `checkin`, `event`, `duty_slot`, `manual`, `reversal` …
    pub source_kind: String,
    pub source_id: String,
    pub actor: String,
    pub reason: Option<String>,
    pub reverses: Option<i64>,
    pub reversed_by: Option<i64>,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CategoryTotal {
    pub category: String,
    pub points: i64,
    pub entries: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PointsStatement {
    pub deputy_id: i64,
    pub year: i32,
    pub total: i64,
    pub by_category: Vec<CategoryTotal>,
    pub entries: Vec<EntryView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearQuery {
    /// Calendar year in the congress time zone (default: this year).
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RankingQuery {
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
    /// Only deputies with a seat in this region's subtree.
    pub region_id: Option<i64>,
    /// Only seats of this level (national, provincial, city, county, township).
    pub level: Option<String>,
    /// Only the members of this deputy group (alone; not with region_id or level).
    pub group_id: Option<i64>,
    /// Top N (default 20, at most 200).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RankedDeputy {
    pub rank: usize,
    pub deputy_id: i64,
    pub name: String,
    pub points: i64,
    /// Absences with approved leave (reversed entries not counted).
    pub excused_absences: i64,
    /// Absences without leave, and duty no-shows.
    pub unexcused_absences: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Ranking {
    pub year: i32,
    /// Where the ranks were read (the same answers from each): `sorted_sets` (leaderboards),
    /// `sql` (ranking tables kept in the database) or `sql_scan` (the scope counted in SQL).
    pub source: String,
    pub deputies_ranked: usize,
    pub top: Vec<RankedDeputy>,
    /// The caller's own place, for deputies.
    pub me: Option<MyRank>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MyRank {
    pub rank: usize,
    pub points: i64,
    /// Share of ranked deputies at or below this total, 0–100.
    pub percentile: f64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReversalRequest {
    pub reason: String,
}

/// A new version of a rule (or a new rule). Earlier entries keep citing the version they applied.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleCreate {
    /// The congress whose rulebook changes (default: the installation's default rulebook, which
    /// only installation-wide admins change). A lower congress inherits the rules it does not set.
    pub region_id: Option<i64>,
    pub code: String,
    pub name: String,
    /// base, meeting, suggestion, station_reception, activity, training, inspection, online_duty or penalty.
    pub category: String,
    pub points: i32,
    pub yearly_cap: Option<i32>,
    pub daily_cap: Option<i32>,
    #[serde(default)]
    pub needs_review: bool,
    pub clause: String,
    /// YYYY-MM-DD (inclusive).
    pub effective_from: Option<String>,
    /// YYYY-MM-DD (inclusive).
    pub effective_to: Option<String>,
}
