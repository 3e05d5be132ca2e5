//! The event types: each with its CloudEvents `type`, what it tells, and the schema of its data.

use crate::feed::model::data::*;
use utoipa::PartialSchema;

/// Every type of event the feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    CheckinAccepted,
    LedgerEntryPosted,
    LedgerEntryReversed,
    AppealResolved,
    SuggestionStatusChanged,
    OpinionStatusChanged,
    NoticePublished,
    DutyReportPublished,
    VoteResultPublished,
    RankingPublished,
    DeputyCreated,
    DeputyChanged,
    StationCreated,
    StationChanged,
}

/// All types, in the catalogue's order.
pub const ALL: [Type; 14] = [
    Type::CheckinAccepted,
    Type::LedgerEntryPosted,
    Type::LedgerEntryReversed,
    Type::AppealResolved,
    Type::SuggestionStatusChanged,
    Type::OpinionStatusChanged,
    Type::NoticePublished,
    Type::DutyReportPublished,
    Type::VoteResultPublished,
    Type::RankingPublished,
    Type::DeputyCreated,
    Type::DeputyChanged,
    Type::StationCreated,
    Type::StationChanged,
];

impl Type {
    /// The CloudEvents `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Type::CheckinAccepted => "cn.lvzhi.checkin.accepted",
            Type::LedgerEntryPosted => "cn.lvzhi.ledger.entry_posted",
            Type::LedgerEntryReversed => "cn.lvzhi.ledger.entry_reversed",
            Type::AppealResolved => "cn.lvzhi.ledger.appeal_resolved",
            Type::SuggestionStatusChanged => "cn.lvzhi.suggestion.status_changed",
            Type::OpinionStatusChanged => "cn.lvzhi.opinion.status_changed",
            Type::NoticePublished => "cn.lvzhi.notice.published",
            Type::DutyReportPublished => "cn.lvzhi.duty_report.published",
            Type::VoteResultPublished => "cn.lvzhi.project_round.result_published",
            Type::RankingPublished => "cn.lvzhi.ranking.published",
            Type::DeputyCreated => "cn.lvzhi.deputy.created",
            Type::DeputyChanged => "cn.lvzhi.deputy.changed",
            Type::StationCreated => "cn.lvzhi.station.created",
            Type::StationChanged => "cn.lvzhi.station.changed",
        }
    }

    pub fn parse(s: &str) -> Option<Type> {
        ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// What an event of this type tells.
    pub fn description(self) -> &'static str {
        match self {
            Type::CheckinAccepted => "A deputy's check-in at a station or meeting was accepted.",
            Type::LedgerEntryPosted => "Points were posted to a deputy's ledger.",
            Type::LedgerEntryReversed => "A ledger entry was reversed by a correcting entry.",
            Type::AppealResolved => "A deputy's appeal against a ledger entry was decided.",
            Type::SuggestionStatusChanged => "A deputy suggestion moved to another status.",
            Type::OpinionStatusChanged => "A constituent's opinion (a reception case) moved to another status.",
            Type::NoticePublished => "A notice or briefing was published to deputies.",
            Type::DutyReportPublished => "A deputy's report to the voters (述职) was published.",
            Type::VoteResultPublished => "A livelihood-project vote closed and its tally was published.",
            Type::RankingPublished => "A quarterly ranking snapshot (亮分) was published.",
            Type::DeputyCreated => "A deputy was added.",
            Type::DeputyChanged => "A deputy's public record changed.",
            Type::StationCreated => "A liaison station was added.",
            Type::StationChanged => "A liaison station's public record changed.",
        }
    }

    /// The JSON Schema of the type's `data`.
    pub fn schema(self) -> serde_json::Value {
        let s = match self {
            Type::CheckinAccepted => CheckinAccepted::schema(),
            Type::LedgerEntryPosted | Type::LedgerEntryReversed => LedgerEntry::schema(),
            Type::AppealResolved => AppealResolved::schema(),
            Type::SuggestionStatusChanged => SuggestionStatus::schema(),
            Type::OpinionStatusChanged => OpinionStatus::schema(),
            Type::NoticePublished => NoticePublished::schema(),
            Type::DutyReportPublished => DutyReportPublished::schema(),
            Type::VoteResultPublished => VoteResultPublished::schema(),
            Type::RankingPublished => RankingPublished::schema(),
            Type::DeputyCreated | Type::DeputyChanged => DeputyChanged::schema(),
            Type::StationCreated | Type::StationChanged => StationChanged::schema(),
        };
        serde_json::to_value(s).unwrap_or_default()
    }
}

/// Reads a comma-separated list of types; `Err` names the first unknown one.
pub fn parse_types(raw: &str) -> Result<Vec<Type>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Type::parse(s).ok_or_else(|| s.to_string()))
        .collect()
}
