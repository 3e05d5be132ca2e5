//! What the desk reads from the API: the station's day and one duty slot, as the API writes them.

use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Me {
    pub role: String,
    pub display_name: String,
    #[serde(default)]
    pub station_ids: Vec<i64>,
}

#[derive(Debug, Deserialize)]
pub struct OnDuty {
    pub deputy_id: i64,
    pub name: String,
    pub outcome: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Slot {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub note: Option<String>,
    pub version: i64,
    #[serde(default)]
    pub deputies: Vec<OnDuty>,
}

#[derive(Debug, Deserialize)]
pub struct Checkin {
    pub id: i64,
    pub deputy_id: i64,
    pub status: String,
    #[serde(default)]
    pub reasons: Vec<String>,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
pub struct Booking {
    pub deputy_id: i64,
    pub starts_at: DateTime<Utc>,
    pub mode: String,
    pub topic: String,
    pub status: String,
    pub phone_masked: String,
}

#[derive(Debug, Deserialize)]
pub struct WalkIn {
    pub ticket: String,
    pub channel: String,
    pub title: String,
    pub status: String,
    pub filed_at: DateTime<Utc>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Event {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
pub struct Day {
    pub station_id: i64,
    pub date: String,
    #[serde(default)]
    pub slots: Vec<Slot>,
    #[serde(default)]
    pub checkins: Vec<Checkin>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub bookings: Vec<Booking>,
    #[serde(default)]
    pub walk_ins: Vec<WalkIn>,
}
