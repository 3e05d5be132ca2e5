//! Request and answer shapes of the livelihood-project vote: rounds, candidates, the ballot,
//! votes and their receipts, paper voters and tallies, and the published result.

use crate::projects::rules::Tally;
use crate::projects::store::{CandidateRow, RoundRow};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

mod works;
pub use works::*;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundCreate {
    /// The congress (a region); the caller's own by default.
    pub region_id: Option<i64>,
    /// The year the projects are for.
    pub year: i32,
    pub title: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RoundQuery {
    pub region_id: Option<i64>,
    pub year: Option<i32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoundView {
    pub id: i64,
    pub region_id: i64,
    pub year: i32,
    pub title: String,
    /// collecting, screening, voting, closed, implementing or assessed.
    pub status: String,
    /// The congress session where the vote is held (an event).
    pub event_id: Option<i64>,
    pub adopt_count: i32,
    pub max_approvals: i32,
    /// seated (approvals above half of the congress's seated deputies) or cast (above half of
    /// the ballots cast).
    pub adoption_rule: String,
    /// Deputies seated in the congress when the vote opened.
    pub seated: i32,
    /// SHA-256 of the published tally, once closed.
    pub digest: Option<String>,
    pub candidates: Vec<CandidateView>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

pub fn round_view(r: RoundRow, candidates: Vec<CandidateRow>) -> RoundView {
    RoundView {
        id: r.id,
        region_id: r.region_id,
        year: r.year,
        title: r.title,
        status: r.status,
        event_id: r.event_id,
        adopt_count: r.adopt_count,
        max_approvals: r.max_approvals,
        adoption_rule: r.adoption_rule,
        seated: r.seated,
        digest: r.digest,
        candidates: candidates.into_iter().map(candidate_view).collect(),
        version: r.version,
        created_at: crate::db::utc(r.created_at),
    }
}

/// Where a candidate came from: opinion tickets and suggestion numbers it cites.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    #[serde(default)]
    pub opinions: Vec<String>,
    #[serde(default)]
    pub suggestions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateCreate {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub location: String,
    /// Estimated budget in yuan.
    #[serde(default)]
    pub budget_yuan: i64,
    /// The handling unit proposed to lead it.
    pub lead_unit_id: Option<i64>,
    #[serde(default)]
    pub timeline: String,
    #[serde(default)]
    pub sources: Sources,
}

/// A constituent's opinion (of category 民生实事) made a candidate by staff.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromOpinion {
    pub ticket: String,
    /// The candidate's title (the opinion's by default).
    pub title: Option<String>,
    pub lead_unit_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CandidateView {
    pub id: i64,
    pub round_id: i64,
    pub title: String,
    pub description: String,
    pub location: String,
    pub budget_yuan: i64,
    pub lead_unit_id: Option<i64>,
    pub timeline: String,
    pub sources: Sources,
    /// The deputy who proposed it, if a deputy did.
    pub proposed_by_deputy: Option<i64>,
    pub on_ballot: bool,
    /// Adopted by the vote, with its rank and approvals (once the vote closed).
    pub adopted: bool,
    pub rank: Option<i32>,
    pub approvals: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub fn candidate_view(c: CandidateRow) -> CandidateView {
    CandidateView {
        id: c.id,
        round_id: c.round_id,
        title: c.title,
        description: c.description,
        location: c.location,
        budget_yuan: c.budget_yuan,
        lead_unit_id: c.lead_unit_id,
        timeline: c.timeline,
        sources: serde_json::from_str(&c.sources).unwrap_or_default(),
        proposed_by_deputy: c.proposed_by_deputy,
        on_ballot: c.on_ballot,
        adopted: c.adopted,
        rank: c.rank,
        approvals: c.approvals,
        created_at: crate::db::utc(c.created_at),
    }
}

/// The final ballot, set while screening.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BallotSetup {
    pub candidate_ids: Vec<i64>,
    /// How many projects are adopted at most.
    pub adopt_count: i32,
    /// The most approvals one deputy may give.
    pub max_approvals: i32,
    /// seated or cast.
    pub adoption_rule: String,
}

/// Opening the vote at the congress session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenVote {
    pub event_id: i64,
}

/// What a deputy sees of the ballot.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BallotView {
    pub round_id: i64,
    pub title: String,
    pub status: String,
    pub max_approvals: i32,
    pub candidates: Vec<CandidateView>,
    /// Whether this deputy has voted (in the app or on paper).
    pub voted: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteCreate {
    /// Candidate id → approve, oppose or abstain, for every candidate on the ballot.
    pub choices: BTreeMap<i64, String>,
}

/// The ballot's receipt: kept by the deputy's app only (the server keeps no link to the deputy),
/// to find the ballot in the published tally.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VoteReceipt {
    pub receipt: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperVoters {
    pub deputy_ids: Vec<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaperVotersRecorded {
    pub recorded: usize,
}

/// One candidate's paper counts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperCount {
    pub candidate_id: i64,
    pub approve: i64,
    pub oppose: i64,
    pub abstain: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperTallyCreate {
    /// Paper ballots counted.
    pub ballots: i64,
    pub counts: Vec<PaperCount>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaperTallyView {
    pub id: i64,
    pub round_id: i64,
    pub ballots: i64,
    pub counts: Vec<PaperCount>,
    /// proposed or approved.
    pub status: String,
    pub proposed_by: i64,
    pub approved_by: Option<i64>,
}

/// The published result: the tally (every ballot, the paper counts, the results) and its
/// SHA-256 over the canonical JSON (`lvzhi verify-tally FILE` checks both).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Published {
    #[schema(value_type = Object)]
    pub tally: Tally,
    pub digest: String,
}
