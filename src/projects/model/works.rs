//! Request and answer shapes of the adopted projects as they are carried out, inspected and
//! assessed: units, milestones, progress reports with photos, inspections and remarks, the
//! rating sheet and the published assessment.

use crate::projects::rules::assess::Assessment;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ProjectQuery {
    /// One round's projects (else every round in the caller's scope).
    pub round_id: Option<i64>,
    /// Only projects with an overdue milestone.
    #[serde(default)]
    pub red: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MilestoneView {
    pub id: i64,
    pub title: String,
    /// YYYY-MM-DD.
    pub due_on: String,
    pub done_on: Option<String>,
    /// Past its date and not done.
    pub overdue: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PhotoLinkView {
    pub id: i64,
    /// Signed; works for 10 minutes.
    pub url: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressView {
    pub id: i64,
    pub unit: UnitRef,
    /// YYYY-Qn.
    pub quarter: String,
    pub percent: i32,
    /// Spent so far, in yuan.
    pub spent_yuan: i64,
    pub text: String,
    pub photos: Vec<PhotoLinkView>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RemarkView {
    pub deputy_id: i64,
    pub deputy_name: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InspectionView {
    pub event_id: i64,
    pub remarks: Vec<RemarkView>,
}

/// An adopted project as it is carried out.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProjectView {
    /// The candidate's id.
    pub id: i64,
    pub round_id: i64,
    pub year: i32,
    pub title: String,
    pub description: String,
    pub location: String,
    pub budget_yuan: i64,
    pub rank: Option<i32>,
    pub approvals: Option<i64>,
    pub lead_unit: Option<UnitRef>,
    pub co_units: Vec<UnitRef>,
    /// The latest report's figures.
    pub percent: i32,
    pub spent_yuan: i64,
    pub milestones: Vec<MilestoneView>,
    /// Some milestone is overdue (红灯).
    pub red: bool,
    pub progress: Vec<ProgressView>,
    pub inspections: Vec<InspectionView>,
}

/// The units carrying out a project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitsSet {
    pub lead_unit_id: i64,
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneCreate {
    pub title: String,
    /// YYYY-MM-DD.
    pub due_on: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDone {
    /// YYYY-MM-DD; today by default.
    pub done_on: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressCreate {
    /// YYYY-Qn.
    pub quarter: String,
    /// 0–100.
    pub percent: i32,
    /// Spent so far, in yuan.
    pub spent_yuan: i64,
    pub text: String,
    /// Photos uploaded first (`POST /api/v1/project-photos`), at most 9.
    #[serde(default)]
    pub photo_ids: Vec<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionLink {
    /// An event of kind inspection.
    pub event_id: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemarkCreate {
    pub text: String,
}

/// What a deputy sees of the assessment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RatingSheet {
    pub round_id: i64,
    pub status: String,
    /// Open for ratings.
    pub open: bool,
    /// Whether this deputy has rated.
    pub rated: bool,
    pub projects: Vec<ProjectView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectRatingCreate {
    /// Project id → satisfied, basically_satisfied or dissatisfied, for every project.
    pub ratings: BTreeMap<i64, String>,
}

/// The published assessment and its SHA-256 over the canonical JSON.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AssessmentPublished {
    #[schema(value_type = Object)]
    pub assessment: Assessment,
    pub digest: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PublicProjectQuery {
    /// A region's code (GB/T 2260): the projects of the congresses in it.
    pub region: Option<String>,
    /// A station's printed code: the projects of the congresses it lies under.
    pub station: Option<String>,
    pub year: Option<i32>,
}

/// An adopted project as the public sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublicProject {
    pub id: i64,
    pub round_id: i64,
    pub year: i32,
    /// The congress's region name.
    pub congress: String,
    /// closed, implementing or assessed.
    pub status: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub budget_yuan: i64,
    pub rank: Option<i32>,
    pub approvals: Option<i64>,
    pub lead_unit: Option<String>,
    pub co_units: Vec<String>,
    pub percent: i32,
    pub spent_yuan: i64,
    pub milestones: Vec<MilestoneView>,
    pub red: bool,
    /// The year-end ratings once assessed.
    #[schema(value_type = Option<Object>)]
    pub assessment: Option<crate::projects::rules::assess::Rated>,
}
