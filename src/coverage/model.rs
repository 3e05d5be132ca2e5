//! Request and answer shapes of the coverage view.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct CoverageQuery {
    /// The congress (a region id); the caller's own by default.
    pub congress: Option<i64>,
    /// The congress's term (届).
    pub term: Option<i32>,
    /// json (default) or csv (every missing deputy, one row per obligation).
    pub format: Option<String>,
    /// Missing deputies listed per obligation (1–1000, default 100).
    pub limit: Option<usize>,
}

/// A deputy missing an obligation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MissingDeputy {
    pub deputy_id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ObligationCoverage {
    pub code: String,
    pub name: String,
    /// Deputies the obligation applies to (now).
    pub due: i64,
    pub covered: i64,
    /// covered / due, 0–1 (1 when nobody is due).
    pub share: f64,
    pub missing_count: i64,
    /// The first `limit` missing, by deputy id.
    pub missing: Vec<MissingDeputy>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CoverageView {
    pub congress: i64,
    pub term: i32,
    /// The term's first and last year.
    pub years: (i32, i32),
    /// Deputies seated in the congress and those below.
    pub deputies: i64,
    pub obligations: Vec<ObligationCoverage>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverageNotify {
    pub congress: Option<i64>,
    pub term: i32,
    /// The obligation whose missing deputies are told.
    pub obligation: String,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CoverageNotified {
    pub notice_id: i64,
    pub deputies: i64,
}

/// One obligation of a deputy's own coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OwnObligation {
    pub code: String,
    pub name: String,
    /// covered, missing, or not_due.
    pub status: String,
}

/// A deputy's own coverage in their term, as their archive shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeputyCoverage {
    pub term: i32,
    pub years: (i32, i32),
    pub obligations: Vec<OwnObligation>,
}
