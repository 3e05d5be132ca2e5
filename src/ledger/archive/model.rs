//! API types of the duty archive: the archive itself, its signature, and the query.

use crate::checkins::DutySummary;
use crate::ledger::model::CategoryTotal;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArchiveSeat {
    pub level: String,
    pub region_path: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArchiveAppeal {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub status: String,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
}

/// The deputy's newest ledger entry when the archive was made (its hash seals every earlier one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChainHead {
    pub entry_id: i64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DutyArchive {
    pub deputy_id: i64,
    pub name: String,
    pub year: i32,
    pub seats: Vec<ArchiveSeat>,
    pub duty: DutySummary,
    /// Suggestions filed (entries under `suggestion_filed`, reversed ones not counted).
    pub suggestions: i64,
    /// Constituents' opinions answered (entries with source `opinion_reply`).
    pub opinions_answered: i64,
    pub points_total: i64,
    pub points_by_category: Vec<CategoryTotal>,
    pub entries: i64,
    pub appeals: Vec<ArchiveAppeal>,
    /// Reports to the voters delivered this year (述职评议), with their results.
    #[serde(default)]
    pub duty_reports: Vec<crate::reports::DeliveredReport>,
    /// The deputy's own coverage of the term's obligations, now (this year's archive; not signed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<crate::coverage::DeputyCoverage>,
    pub chain_head: Option<ChainHead>,
    pub generated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ArchiveSignature {
    /// Always `EdDSA` (Ed25519).
    pub alg: String,
    /// The signing key (as in `/.well-known/jwks.json` while it signs tokens).
    pub kid: String,
    /// base64url of the signature over the archive's canonical JSON bytes.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignedArchive {
    pub archive: serde_json::Value,
    pub signature: ArchiveSignature,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ArchiveQuery {
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
    /// `json` (default) or `csv` (the year's entries, one per row).
    pub format: Option<String>,
}
