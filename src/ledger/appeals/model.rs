//! API types of appeals: a new appeal, its thread, a resolution, and the list filters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealCreate {
    /// `dispute` (an entry is wrong or counted twice) or `missing` (an activity was not counted).
    pub kind: String,
    /// The disputed entry (disputes).
    pub entry_id: Option<i64>,
    pub description: String,
    /// YYYY-MM-DD of the missing activity (missing).
    pub occurred_on: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AppealMessage {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AppealView {
    pub id: i64,
    pub deputy_id: i64,
    pub kind: String,
    pub entry_id: Option<i64>,
    pub year: i32,
    pub description: String,
    pub occurred_on: Option<String>,
    /// open, resolved or rejected.
    pub status: String,
    /// reversal, new_entry or rejected.
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
    /// The reversal or the new entry that resolved it.
    pub result_entry_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub messages: Vec<AppealMessage>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageCreate {
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// `reverse` the disputed entry, `award` a new entry under `rule_code`, or `reject`.
    pub action: String,
    /// Why (shown to the deputy and kept in the archive).
    pub note: String,
    pub rule_code: Option<String>,
    /// When the missing activity happened (default: noon of `occurred_on`).
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AppealQuery {
    /// open, resolved or rejected.
    pub status: Option<String>,
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
    /// Only deputies with a seat in this region's subtree.
    pub region_id: Option<i64>,
}
