//! The `data` of each event type: ids, public fields and counts only — never a phone number, a
//! precise position, an internal note or a constituent's identity (a test walks every type).

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// `cn.lvzhi.checkin.accepted`: a deputy's check-in at a station or a meeting was accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckinAccepted {
    pub checkin_id: i64,
    pub deputy_id: i64,
    pub station_id: Option<i64>,
    pub event_id: Option<i64>,
    /// Scanned offline and sent later.
    pub offline: bool,
    /// Vouched for by the station's staff.
    pub staff_confirmed: bool,
    pub checked_in_at: DateTime<Utc>,
}

/// `cn.lvzhi.ledger.entry_posted` / `cn.lvzhi.ledger.entry_reversed`: a ledger entry was posted
/// (a reversal names the entry it takes back).
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntry {
    pub entry_id: i64,
    pub deputy_id: i64,
    pub rule_code: String,
    pub category: String,
    pub points: i32,
    pub year: i32,
    /// What earned it: `checkin`, `award`, `suggestion`, …
    pub source_kind: String,
    pub reverses: Option<i64>,
    pub occurred_at: DateTime<Utc>,
    /// The entry's hash in the deputy's chain (to check a statement against).
    pub hash: String,
}

/// `cn.lvzhi.ledger.appeal_resolved`: a deputy's appeal against an entry was decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealResolved {
    pub appeal_id: i64,
    pub deputy_id: i64,
    /// The disputed entry (a dispute), or none (an activity that was not counted).
    pub entry_id: Option<i64>,
    /// `reversal`, `new_entry` or `rejected`.
    pub outcome: String,
    /// The reversal or the new entry that resolved it.
    pub result_entry_id: Option<i64>,
}

/// `cn.lvzhi.suggestion.status_changed`: a deputy suggestion moved on.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionStatus {
    pub suggestion_id: i64,
    /// The deputy who filed it.
    pub deputy_id: i64,
    pub from: Option<String>,
    pub to: String,
}

/// `cn.lvzhi.opinion.status_changed`: a constituent's opinion (a reception case) moved on.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpinionStatus {
    pub opinion_id: i64,
    pub station_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub category: String,
    pub from: Option<String>,
    pub to: String,
}

/// `cn.lvzhi.notice.published`: a notice or briefing was published to deputies.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticePublished {
    pub notice_id: i64,
    pub kind: String,
    pub title: String,
    pub recipients: i64,
}

/// `cn.lvzhi.ranking.published`: a quarterly ranking snapshot (亮分) was published.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingPublished {
    pub snapshot_id: i64,
    pub region_id: i64,
    pub year: i32,
    pub quarter: i32,
    pub deputies: i64,
}

/// `cn.lvzhi.duty_report.published`: a deputy's report to the voters (述职) was published.
#[derive(Debug, Serialize, ToSchema)]
pub struct DutyReportPublished {
    pub report_id: i64,
    pub deputy_id: i64,
    pub term: i32,
    pub year: Option<i32>,
}

/// `cn.lvzhi.project_round.result_published`: a livelihood-project vote (民生实事项目票决) closed
/// and its tally was published (`GET /api/v1/public/project-rounds/{id}/result` holds it all).
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteResultPublished {
    pub round_id: i64,
    pub year: i32,
    pub title: String,
    pub candidates: i64,
    pub adopted: i64,
    /// The SHA-256 of the published tally (`lvzhi verify-tally` recomputes it).
    pub digest: String,
}

/// `cn.lvzhi.deputy.created` / `cn.lvzhi.deputy.changed`: a deputy's public record.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeputyChanged {
    pub deputy_id: i64,
    pub name: String,
    /// How many seats the deputy holds in the reader's installation.
    pub seats: i64,
}

/// `cn.lvzhi.station.created` / `cn.lvzhi.station.changed`: a liaison station's public record.
#[derive(Debug, Serialize, ToSchema)]
pub struct StationChanged {
    pub station_id: i64,
    pub name: String,
    pub kind: String,
    pub region_id: i64,
}

/// The `data` of any event: one of the types' schemas (by `type`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum EventData {
    CheckinAccepted(CheckinAccepted),
    LedgerEntry(LedgerEntry),
    AppealResolved(AppealResolved),
    SuggestionStatus(SuggestionStatus),
    OpinionStatus(OpinionStatus),
    NoticePublished(NoticePublished),
    DutyReportPublished(DutyReportPublished),
    VoteResultPublished(VoteResultPublished),
    RankingPublished(RankingPublished),
    DeputyChanged(DeputyChanged),
    StationChanged(StationChanged),
}
