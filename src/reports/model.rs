//! What the duty-report routes take and answer.

use super::rules::Tally;
use super::store::ReportRow;
use crate::db::utc;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub deputy_id: i64,
    pub term: i32,
    /// The year of the duty archive the report stands on (once drafted).
    pub year: Option<i32>,
    /// scheduled, draft, submitted, returned, approved, delivered or published.
    pub status: String,
    pub body: String,
    /// The signed duty archive frozen at drafting (`lvzhi verify-ledger --archive` checks it).
    #[schema(value_type = Option<Object>)]
    pub figures: Option<serde_json::Value>,
    /// The deputy's chain head the figures were sealed with.
    pub chain_head: Option<String>,
    pub station_id: Option<i64>,
    pub electoral_unit: Option<String>,
    pub scheduled_for: Option<DateTime<Utc>>,
    /// The session (an event of kind `duty_report`) once approved.
    pub event_id: Option<i64>,
    pub staff_comment: Option<String>,
    /// When the deputy was reminded that the session is near and the report not approved.
    pub reminded_at: Option<DateTime<Utc>>,
    /// Send back as `If-Match: "duty-report-{id}-v{version}"` when changing the text.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

pub fn view(r: ReportRow) -> ReportView {
    ReportView {
        id: r.id,
        deputy_id: r.deputy_id,
        term: r.term,
        year: r.year,
        status: r.status,
        body: r.body,
        figures: r.figures.and_then(|f| serde_json::from_str(&f).ok()),
        chain_head: r.chain_head,
        station_id: r.station_id,
        electoral_unit: r.electoral_unit,
        scheduled_for: r.scheduled_for.map(utc),
        event_id: r.event_id,
        staff_comment: r.staff_comment,
        reminded_at: r.reminded_at.map(utc),
        version: r.version,
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        delivered_at: r.delivered_at.map(utc),
        published_at: r.published_at.map(utc),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PlanQuery {
    /// The congress (a region); the caller's own region by default.
    pub region_id: Option<i64>,
    pub term: i32,
    /// not_reported, scheduled or overdue (the scheduled date, or the year by which the congress
    /// requires a report, passed without a delivered report).
    pub filter: Option<String>,
}

/// A seated deputy of the plan with their report of the term, if any.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlanLine {
    pub deputy_id: i64,
    pub name: String,
    pub report_id: Option<i64>,
    pub status: Option<String>,
    pub scheduled_for: Option<DateTime<Utc>>,
    /// Delivered or published in this term.
    pub reported: bool,
    /// Its date passed without a delivered report.
    pub overdue: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleItem {
    pub deputy_id: i64,
    pub term: i32,
    pub at: DateTime<Utc>,
    /// The station where the session is held.
    pub station_id: i64,
    /// The electoral unit invited (原选举单位), in words.
    pub electoral_unit: Option<String>,
    /// How many of its representatives are registered (they may vote on paper; 0 by default).
    #[serde(default)]
    pub representatives: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// At most 500 at once.
    pub items: Vec<ScheduleItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemindRequest {
    /// The congress (a region); the caller's own region by default.
    pub region_id: Option<i64>,
    pub term: i32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(as = DutyReportReminders)]
pub struct Reminded {
    /// Deputies who got a notice.
    pub reminded: usize,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftCreate {
    pub term: i32,
    /// The year of the duty archive to stand on (this year by default).
    pub year: Option<i32>,
    /// At most 20,000 characters.
    #[serde(default)]
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DraftUpdate {
    pub body: String,
    /// Frozen: sending figures is refused (422 `frozen`).
    #[schema(value_type = Option<Object>)]
    pub figures: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    pub comment: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingCreate {
    /// The session's current rotating token (from its QR code).
    pub token: String,
    /// satisfied, basically_satisfied or unsatisfied.
    pub verdict: String,
    /// At most 500 characters.
    pub comment: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RatingComment {
    pub verdict: String,
    pub comment: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Results {
    pub report_id: i64,
    pub ratings: i64,
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub unsatisfied: i64,
    /// Each share of `ratings` (null without ratings).
    pub satisfied_rate: Option<f64>,
    pub basically_satisfied_rate: Option<f64>,
    pub unsatisfied_rate: Option<f64>,
    /// More than half unsatisfied: listed for a talk (约谈).
    pub flagged: bool,
    pub comments: Vec<RatingComment>,
}

pub fn results(report_id: i64, t: Tally, comments: Vec<RatingComment>) -> Results {
    Results {
        report_id,
        ratings: t.total(),
        satisfied: t.satisfied,
        basically_satisfied: t.basically_satisfied,
        unsatisfied: t.unsatisfied,
        satisfied_rate: t.share(t.satisfied),
        basically_satisfied_rate: t.share(t.basically_satisfied),
        unsatisfied_rate: t.share(t.unsatisfied),
        flagged: t.flagged(super::rules::FLAG_SHARE),
        comments,
    }
}

/// A published report as the public sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicReport {
    pub report: ReportView,
    pub results: Results,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PublicQuery {
    /// The deputy's printed code.
    pub deputy_code: String,
}
