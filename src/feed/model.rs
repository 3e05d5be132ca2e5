//! The feed's API types: the CloudEvents a client reads or receives, a page of them, the type
//! catalogue, and webhook subscriptions.

pub mod data;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One event, as CloudEvents 1.0 in JSON (structured mode).
#[derive(Debug, Serialize, ToSchema)]
pub struct CloudEvent {
    /// Always `1.0`.
    pub specversion: &'static str,
    /// The event's number in the feed (unique, gap-free; also in `sequence`).
    pub id: String,
    /// This installation (`LVZHI_PUBLIC_URL` or `urn:lvzhi`) and `/feed`.
    pub source: String,
    /// `cn.lvzhi.…`: see `GET /api/v1/feed/types` for each type's `data` schema.
    #[serde(rename = "type")]
    pub type_: String,
    /// The record the event is about (`checkins/42`, `deputies/7`).
    pub subject: String,
    pub time: DateTime<Utc>,
    /// `application/json`.
    pub datacontenttype: &'static str,
    /// The sequence extension: the event's place in the feed, as a decimal string.
    pub sequence: String,
    /// Extension: the region path the event belongs to (`/1/2/3/`).
    pub region: String,
    /// As stored (written as JSON by the change's capability; never parsed again on the way out).
    #[schema(value_type = data::EventData)]
    pub data: Box<serde_json::value::RawValue>,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub items: Vec<CloudEvent>,
    /// Where to read on from (always given: keep it to follow the feed).
    pub next_cursor: String,
    /// True when the page ends at the newest event (poll again later with `next_cursor`).
    pub caught_up: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// The `next_cursor` of the previous page; absent to read from the oldest event kept.
    pub after: Option<String>,
    /// Comma-separated event types to keep (default: all).
    pub types: Option<String>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<i64>,
}

/// One event type and the JSON Schema of its `data`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventType {
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub description: &'static str,
    /// The JSON Schema of `data` (as in the OpenAPI document's components).
    #[schema(value_type = Object)]
    pub schema: serde_json::Value,
}

/// A webhook subscription to create (admins, for a client in their region).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionCreate {
    /// The client account that receives the events.
    pub client_id: i64,
    /// Where deliveries are POSTed (http(s); private addresses refused unless allowed).
    pub url: String,
    /// Event types to deliver (empty: all).
    #[serde(default)]
    pub types: Vec<String>,
    /// A region inside the client's (default: the client's region).
    pub region_id: Option<i64>,
    /// Deliver every event kept, oldest first (the first load of a new platform), instead of
    /// only what happens from now on.
    #[serde(default)]
    pub from_start: bool,
}

/// A webhook subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionView {
    pub id: i64,
    pub client_id: i64,
    pub url: String,
    pub types: Vec<String>,
    pub region_id: i64,
    /// `active`, `paused` (a day of failed deliveries; resume to go on from where it stopped) or
    /// `disabled` (the receiver answered 410, or an admin disabled it).
    pub status: String,
    /// The sequence of the last event delivered.
    pub delivered_through: i64,
    /// Events delivered since creation.
    pub delivered: i64,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub failing_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A created subscription, or one whose secret was rotated: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionSecret {
    pub subscription: SubscriptionView,
    /// `whsec_` and base64: the Standard Webhooks signing secret.
    pub secret: String,
    /// Until when the previous secret signs too (after a rotation).
    pub previous_valid_until: Option<DateTime<Utc>>,
}
