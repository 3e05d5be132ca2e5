//! Request and answer shapes of fixed contacts and their visits.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FixedContactCreate {
    pub name: String,
    /// A mainland mobile number; sealed when stored.
    pub phone: String,
    /// The community (社区/村) the person lives in.
    pub community: String,
    /// Visit at least every this many days (7–366).
    pub every_days: i32,
    /// The person's consent to be a fixed contact: required.
    pub consent: Option<Consent>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// The day they agreed (YYYY-MM-DD, not in the future).
    pub given_on: String,
    /// written, verbal or sms.
    pub how: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FixedContactView {
    pub id: i64,
    pub deputy_id: i64,
    pub name: String,
    /// Masked (138****0000); the full number through `GET /api/v1/fixed-contacts/{id}/phone`.
    pub phone_masked: String,
    pub community: String,
    pub every_days: i32,
    pub consent_on: String,
    pub consent_how: String,
    /// active or ended.
    pub status: String,
    pub last_visit_on: Option<String>,
    /// The day the next visit is due (from the last visit, else from the consent).
    pub due_on: String,
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitCreate {
    /// YYYY-MM-DD, not in the future, not before the consent.
    pub visit_on: String,
    /// visit, phone, meeting or online.
    pub channel: String,
    pub summary: String,
    /// Issues the person raised.
    #[serde(default)]
    pub issues: String,
    /// File the issues as an opinion case the deputy collected (with `category`).
    #[serde(default)]
    pub file_opinion: bool,
    /// The case's category (reception categories; `other` by default).
    pub category: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VisitView {
    pub id: i64,
    pub contact_id: i64,
    pub visit_on: String,
    pub channel: String,
    pub summary: String,
    pub issues: String,
    /// The opinion case filed from the issues, if any.
    pub opinion_ticket: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FixedContactPhone {
    pub id: i64,
    pub phone: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ContactsQuery {
    /// The congress (a region); the caller's own by default.
    pub region_id: Option<i64>,
}

/// One deputy's fixed contacts as staff see them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeputyContacts {
    pub deputy_id: i64,
    pub name: String,
    pub contacts: i64,
    pub overdue: i64,
    pub visits_this_year: i64,
}

/// Fixed contacts under a congress: per deputy, and the overdue contacts (phones masked).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactsSummary {
    pub region_id: i64,
    pub contacts: i64,
    pub overdue_count: i64,
    pub deputies: Vec<DeputyContacts>,
    /// The first 500 overdue contacts, longest overdue first.
    pub overdue: Vec<FixedContactView>,
}
