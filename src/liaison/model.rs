//! Request and answer shapes of liaison links, their contacts and the coverage.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkCreate {
    /// The congress (a region); the caller's own by default.
    pub region_id: Option<i64>,
    /// The congress's term (届).
    pub term: i32,
    /// The member: a deputy seated in the congress…
    pub member_deputy_id: Option<i64>,
    /// …or a staff account of the congress.
    pub member_account_id: Option<i64>,
    /// Linked with a deputy of the congress or of one directly below…
    pub deputy_id: Option<i64>,
    /// …or with a deputy group of the congress or of one directly below.
    pub group_id: Option<i64>,
    /// Contacts a year (default 4).
    pub yearly_target: Option<i32>,
}

/// Who or what a link names.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Party {
    /// deputy, staff or group.
    pub kind: String,
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinkView {
    pub id: i64,
    pub region_id: i64,
    pub term: i32,
    pub member: Party,
    pub target: Party,
    pub yearly_target: i32,
    /// Contacts dated this year.
    pub contacts_this_year: i64,
    /// active or ended.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LinkQuery {
    /// The congress; the caller's own by default.
    pub region_id: Option<i64>,
    pub term: Option<i32>,
    /// Add the coverage of the congress's deputies.
    #[serde(default)]
    pub coverage: bool,
    /// own (the congress's own deputies, default) or children (those of the congresses directly
    /// below: a higher level's deputies linking lower ones).
    pub population: Option<String>,
    /// Deputies each member should be linked with (default 8).
    pub min_links: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberBelow {
    pub member: Party,
    pub linked: usize,
}

/// Who of the congress's deputies is covered, with the volumes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Coverage {
    pub population: String,
    pub year: i32,
    pub deputies: usize,
    /// The share linked, beside its volume.
    pub linked: crate::http::Rate,
    pub unlinked: Vec<Party>,
    /// Active links with fewer contacts this year than their target.
    pub below_target: Vec<i64>,
    pub members_below_count: Vec<MemberBelow>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinkList {
    pub items: Vec<LinkView>,
    /// With `coverage=true`.
    pub coverage: Option<Coverage>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiaisonContactCreate {
    /// YYYY-MM-DD: not in the future, not before the term.
    pub contact_on: String,
    /// visit, phone, meeting or online.
    pub channel: String,
    pub summary: String,
    /// Issues raised, if any.
    #[serde(default)]
    pub issues: String,
    /// For a link with a group, the deputy of the group contacted (the member logs it); a group's
    /// deputy logging names themselves.
    pub deputy_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LiaisonContactView {
    pub id: i64,
    pub link_id: i64,
    /// member or deputy: who logged it.
    pub side: String,
    pub deputy_id: Option<i64>,
    pub contact_on: String,
    pub channel: String,
    pub summary: String,
    pub issues: String,
    /// The suggestion draft the issues became, if any.
    pub suggestion_id: Option<i64>,
    /// The opinion case the issues became, if any.
    pub opinion_ticket: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactCarry {
    /// suggestion (a draft of the calling deputy) or opinion (a case the deputy collected).
    #[serde(rename = "as")]
    pub into: String,
    /// The opinion case's category (reception categories; `other` by default).
    pub category: Option<String>,
}
