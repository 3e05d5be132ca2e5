//! API types for deputies (the person) and their seats (one per congress and term).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SeatView {
    pub id: i64,
    /// national, provincial, city, county or township.
    pub level: String,
    /// The congress (region) the seat is in.
    pub region_id: i64,
    pub region_code: String,
    pub region_name: String,
    pub term: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub electoral_unit: Option<String>,
    pub group_id: Option<i64>,
    /// active, terminated or resigned.
    pub status: String,
    /// Date of the last status change (YYYY-MM-DD).
    pub status_date: Option<String>,
}

/// A deputy. The public profile leaves out the phone and the electoral unit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeputyView {
    pub id: i64,
    pub name: String,
    /// male or female.
    pub gender: String,
    /// Masked (`138****1234`); the full number is at `/deputies/{id}/phone` (audited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub photo_url: Option<String>,
    pub introduction: Option<String>,
    pub public_code: String,
    pub seats: Vec<SeatView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatInput {
    pub level: String,
    pub region_id: i64,
    pub term: i32,
    pub electoral_unit: Option<String>,
    pub group_id: Option<i64>,
    /// Default active.
    pub status: Option<String>,
    pub status_date: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeputyCreate {
    pub name: String,
    pub gender: String,
    pub phone: Option<String>,
    pub photo_url: Option<String>,
    pub introduction: Option<String>,
    pub seats: Vec<SeatInput>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeputyUpdate {
    pub name: Option<String>,
    pub gender: Option<String>,
    pub phone: Option<String>,
    pub photo_url: Option<String>,
    pub introduction: Option<String>,
}

/// Change a seat: status (with its date), group, electoral unit.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatUpdate {
    pub status: Option<String>,
    pub status_date: Option<String>,
    pub group_id: Option<i64>,
    pub electoral_unit: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeputyQuery {
    /// Deputies with a seat in this region's subtree.
    pub region_id: Option<i64>,
    pub level: Option<String>,
    pub group_id: Option<i64>,
    pub status: Option<String>,
    pub term: Option<i32>,
    /// Name contains.
    pub q: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PhoneView {
    pub deputy_id: i64,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    /// Data rows read.
    pub rows: usize,
    pub deputies_created: usize,
    /// Seats added to people already in the directory (matched by phone).
    pub seats_added_to_existing: usize,
    pub seats_created: usize,
}
