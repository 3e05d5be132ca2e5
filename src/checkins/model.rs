//! API types of check-ins, station QR tokens and the kiosk.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QrToken {
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    /// Put this in the QR code.
    pub token: String,
    /// When the next token takes over (the server keeps accepting this one a little longer).
    pub expires_at: DateTime<Utc>,
    pub window_secs: i64,
    /// The QR code as an SVG document, rendered by the server.
    pub svg: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct KioskKey {
    pub station_id: i64,
    /// Shown once: the tablet's credential for `/kiosk/stations/{id}?key=…`.
    pub kiosk_key: String,
    pub kiosk_url: String,
}

/// A check-in from the phone (or recorded by station staff for a deputy who is present).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckinRequest {
    /// The liaison station (or give `event_id`).
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    /// The scanned QR token.
    pub token: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Metres, as reported by the phone.
    pub accuracy_m: Option<f64>,
    /// `wgs84` (GPS), `gcj02` (Amap, Tencent) or `bd09` (Baidu). Default wgs84.
    pub coord_system: Option<String>,
    /// Offline check-in: when the QR was scanned (the submission may come up to 72 h later).
    pub scanned_at: Option<DateTime<Utc>>,
    /// Station staff only: the deputy who is physically present.
    pub deputy_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EvidenceView {
    pub qr_valid: bool,
    pub inside_geofence: bool,
    /// Distance from the venue in metres (WGS-84), when a position was given.
    pub distance_m: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub offline: bool,
    pub staff_confirmed: bool,
    pub impossible_travel: bool,
}

/// Where a deputy was when checking in (WGS-84), opened from its sealed form for a reviewer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PositionView {
    pub checkin_id: i64,
    pub latitude: f64,
    pub longitude: f64,
    /// Metres, as the phone reported.
    pub accuracy_m: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CheckinView {
    pub id: i64,
    pub deputy_id: i64,
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    /// accepted, pending_review or rejected.
    pub status: String,
    /// Why it needs review (qr_expired, outside_geofence, impossible_travel, …).
    pub reasons: Vec<String>,
    pub evidence: EvidenceView,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i64>,
    /// Closed by the server after 8 hours open.
    pub auto_closed: bool,
    pub review_note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// approve or reject.
    pub decision: String,
    /// Required when rejecting.
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CheckinQuery {
    pub station_id: Option<i64>,
    /// A day (YYYY-MM-DD) in the congress time zone.
    pub date: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OnDuty {
    pub deputy_id: i64,
    pub name: String,
    /// present or no_show once the slot has ended and been settled.
    pub outcome: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SlotView {
    pub id: i64,
    pub station_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub note: Option<String>,
    /// Changes with every edit; send it back as `If-Match: "slot-{id}-v{version}"` (the ETag).
    pub version: i64,
    pub deputies: Vec<OnDuty>,
}
