//! API types of the organization directory: regions, groups, stations, handling units.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegionRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegionView {
    pub id: i64,
    /// GB/T 2260 code (6 digits), or the 9/12-digit statistical code for townships.
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    /// province, city, county or township.
    pub level: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionCreate {
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub level: String,
}

/// Code, parent and level never change (scopes hang on them); only the name does.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionUpdate {
    pub name: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RegionQuery {
    pub parent_id: Option<i64>,
    pub level: Option<String>,
    /// Name contains.
    pub q: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub region_id: i64,
    pub name: String,
    /// 届: the congress term the group belongs to.
    pub term: i32,
    pub version: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupCreate {
    pub region_id: i64,
    pub name: String,
    pub term: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupUpdate {
    pub name: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ScopedQuery {
    /// Only records in this region's subtree.
    pub region_id: Option<i64>,
    /// Name contains.
    pub q: Option<String>,
    /// Stations only: home, station, point or studio.
    pub kind: Option<String>,
    /// Groups only.
    pub term: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StationView {
    pub id: i64,
    pub region_id: i64,
    /// home (代表之家), station (代表联络站), point (联系点) or studio (工作室).
    pub kind: String,
    pub name: String,
    pub address: String,
    /// WGS-84.
    pub latitude: f64,
    pub longitude: f64,
    /// Geofence radius in metres.
    pub radius_m: i32,
    pub opening_hours: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// Stable code printed as the station's QR (opens its reception page).
    pub public_code: String,
    pub version: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationCreate {
    pub region_id: i64,
    pub kind: String,
    pub name: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    /// Default 150 m.
    pub radius_m: Option<i32>,
    pub opening_hours: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StationUpdate {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub radius_m: Option<i32>,
    pub opening_hours: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnitView {
    pub id: i64,
    pub region_id: i64,
    pub name: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub version: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitCreate {
    pub region_id: i64,
    pub name: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitUpdate {
    pub name: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}
