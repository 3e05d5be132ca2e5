//! API types of the reception room: the constituents' sign-in, and an opinion as the API shows it.

use super::store::opinions::{EventRow, OpinionRow};
use crate::db::utc;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// A mainland mobile number (`+86` and spaces allowed).
    pub phone: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeSent {
    /// Seconds the code works.
    pub expires_in: i64,
    /// Seconds before another code may be asked for this number.
    pub resend_after: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSignIn {
    pub phone: String,
    pub code: String,
    /// The privacy notice version the constituent agreed to (required at the first sign-in and
    /// after the notice changed).
    pub consent_version: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PrivacyNotice {
    pub version: String,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpinionView {
    pub ticket: String,
    pub category: String,
    pub title: String,
    pub content: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub photo_urls: Vec<String>,
    /// submitted, accepted, answered, forwarded, replied, closed, rated, reopened, rejected,
    /// withdrawn or merged.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The station or deputy it was left with; the deputy in charge of it.
    pub station_id: Option<i64>,
    pub deputy_id: Option<i64>,
    /// The handling unit it was forwarded to, and the end of the unit's deadline.
    pub unit_id: Option<i64>,
    pub due_at: Option<DateTime<Utc>>,
    /// Forwarded and past its deadline (red light).
    pub overdue: bool,
    /// A unit's pending request for a later deadline (staff, deputy and unit only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_until: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_reason: Option<String>,
    /// The deputy asked staff to forward it (staff, deputy and unit only).
    pub forward_requested: bool,
    /// 1, or 2 after an unsatisfied rating reopened it; a second round is escalated.
    pub round: i32,
    pub escalated: bool,
    /// satisfied, basically_satisfied or unsatisfied, with 1–5 for result and attitude.
    pub satisfaction: Option<String>,
    pub result_score: Option<i32>,
    pub attitude_score: Option<i32>,
    /// The suggestion it was turned from: a case the deputy in charge raised, and rates.
    pub suggestion_id: Option<i64>,
    /// The case's history (in the single view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<crate::http::StatusChange>>,
}

impl OpinionView {
    /// Leaves out what only those handling the case see.
    pub fn hide_handling(&mut self) {
        self.extension_until = None;
        self.extension_reason = None;
        self.forward_requested = false;
    }

    /// What someone who follows a case sees of it (not the person who filed it): its category,
    /// status, dates and history of statuses, and the title staff approved as public (empty
    /// until then); never its content, position, photos, ratings or the notes of its history.
    pub fn summary_only(mut self, public_title: Option<&str>) -> Self {
        self.hide_handling();
        self.title = public_title.unwrap_or_default().to_string();
        self.content = String::new();
        self.latitude = None;
        self.longitude = None;
        self.photo_urls = vec![];
        self.satisfaction = None;
        self.result_score = None;
        self.attitude_score = None;
        for e in self.events.iter_mut().flatten() {
            e.note = None;
        }
        self
    }

    /// Marks the red light as of `now`.
    pub fn at(mut self, now: chrono::NaiveDateTime) -> Self {
        self.overdue = self.status == "forwarded" && self.due_at.is_some_and(|d| d.naive_utc() < now);
        self
    }
}

pub fn view(o: OpinionRow, events: Option<Vec<EventRow>>) -> OpinionView {
    OpinionView {
        station_id: o.station_id,
        deputy_id: o.deputy_id,
        unit_id: o.unit_id,
        due_at: o.due_at.map(utc),
        overdue: false,
        extension_until: o.extension_until.map(utc),
        extension_reason: o.extension_reason,
        forward_requested: o.forward_requested,
        round: o.round,
        escalated: o.escalated,
        satisfaction: o.satisfaction,
        result_score: o.result_score,
        attitude_score: o.attitude_score,
        ticket: o.ticket,
        category: o.category,
        title: o.title,
        content: o.content,
        latitude: o.latitude,
        longitude: o.longitude,
        photo_urls: serde_json::from_str(&o.photo_urls).unwrap_or_default(),
        status: o.status,
        created_at: utc(o.created_at),
        updated_at: utc(o.updated_at),
        suggestion_id: o.suggestion_id,
        events: events.map(crate::http::history),
    }
}
