//! What the phone pages read from the API: only the fields they show (the API's JSON is their
//! contract; unknown fields are ignored).

use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Brief {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct Seat {
    pub level: String,
    pub region: String,
    pub group: Option<String>,
    pub term: i32,
}

#[derive(Debug, Deserialize)]
pub struct Deputy {
    pub code: String,
    pub name: String,
    pub photo_url: Option<String>,
    pub introduction: Option<String>,
    pub seats: Vec<Seat>,
}

#[derive(Debug, Deserialize)]
pub struct Duty {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub deputies: Vec<Brief>,
}

#[derive(Debug, Deserialize)]
pub struct Station {
    pub code: String,
    pub name: String,
    pub address: String,
    pub latitude: f64,
    pub longitude: f64,
    pub opening_hours: Option<String>,
    pub contact_phone: Option<String>,
    pub deputies: Vec<Brief>,
    pub this_week: Vec<Duty>,
}

/// `GET /api/v1/public/pages/{code}`.
#[derive(Debug, Deserialize)]
pub struct Public {
    pub deputy: Option<Deputy>,
    pub station: Option<Station>,
}

/// An open case near the visitor's position (`GET /api/v1/me/opinions/similar`).
#[derive(Debug, Deserialize)]
pub struct Similar {
    pub ticket: String,
    pub title: String,
    pub status: String,
}

#[derive(Debug, Deserialize)]
pub struct Event {
    pub to_status: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub author: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
pub struct Photo {
    pub url: String,
}

/// `GET /api/v1/me/opinions/{ticket}`.
#[derive(Debug, Deserialize)]
pub struct Case {
    pub ticket: String,
    pub category: String,
    pub title: String,
    pub content: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// owner or follower.
    pub access: String,
    pub round: i32,
    #[serde(default)]
    pub events: Option<Vec<Event>>,
    #[serde(default)]
    pub messages: Vec<Message>,
    #[serde(default)]
    pub photos: Vec<Photo>,
    pub public_answer: Option<String>,
    #[serde(default = "yes")]
    pub texts: bool,
}

fn yes() -> bool {
    true
}

/// One of my cases in the list.
#[derive(Debug, Deserialize)]
pub struct Item {
    pub ticket: String,
    pub category: String,
    pub title: String,
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

/// One of my appointments.
#[derive(Debug, Deserialize)]
pub struct Appointment {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub mode: String,
    pub topic: String,
    pub status: String,
    pub note: Option<String>,
    pub video_url: Option<String>,
}

/// A deputy on duty in a slot (`GET /api/v1/public/stations/{id}/duty`).
#[derive(Debug, Deserialize)]
pub struct OnDuty {
    pub deputy_id: i64,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct Slot {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub deputies: Vec<OnDuty>,
}
