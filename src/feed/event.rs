//! The door other capabilities write events through, inside the transaction of their change:
//! typed constructors (the type and its data go together), then [`emit`].

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::feed::model::data::*;
use crate::feed::rules::Type;
use crate::feed::store;
use chrono::NaiveDateTime;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether events are written: always, in service. The load harness turns it off for a moment
/// to measure what writing them costs the check-ins and awards, before and after in one run.
static WRITING: AtomicBool = AtomicBool::new(true);

/// Turns event writing off or on (the load harness's comparison only).
pub fn set_writing(on: bool) {
    WRITING.store(on, Ordering::Relaxed);
}

/// An event to write with a change.
#[derive(Debug, Clone)]
pub struct Event {
    kind: Type,
    subject: String,
    region_path: String,
    data: String,
    at: NaiveDateTime,
}

impl Event {
    fn new(kind: Type, subject: String, region_path: &str, data: &impl Serialize, at: NaiveDateTime) -> Event {
        let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
        let region_path = if region_path.is_empty() { "/".to_string() } else { region_path.to_string() };
        Event { kind, subject, region_path, data, at }
    }

    /// A check-in accepted at a station of `region_path` (or a meeting of that congress).
    pub fn checkin(d: &CheckinAccepted, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::CheckinAccepted, format!("checkins/{}", d.checkin_id), region_path, d, at)
    }

    /// A ledger entry posted in the congress of `region_path` (a reversal when it reverses one).
    pub fn ledger_entry(d: &LedgerEntry, region_path: &str, at: NaiveDateTime) -> Event {
        let kind = if d.reverses.is_some() { Type::LedgerEntryReversed } else { Type::LedgerEntryPosted };
        Event::new(kind, format!("ledger/entries/{}", d.entry_id), region_path, d, at)
    }

    pub fn appeal_resolved(d: &AppealResolved, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::AppealResolved, format!("ledger/appeals/{}", d.appeal_id), region_path, d, at)
    }

    pub fn suggestion(d: &SuggestionStatus, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::SuggestionStatusChanged, format!("suggestions/{}", d.suggestion_id), region_path, d, at)
    }

    pub fn opinion(d: &OpinionStatus, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::OpinionStatusChanged, format!("opinions/{}", d.opinion_id), region_path, d, at)
    }

    pub fn notice(d: &NoticePublished, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::NoticePublished, format!("notices/{}", d.notice_id), region_path, d, at)
    }

    pub fn duty_report(d: &DutyReportPublished, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::DutyReportPublished, format!("duty-reports/{}", d.report_id), region_path, d, at)
    }

    pub fn vote_result(d: &VoteResultPublished, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::VoteResultPublished, format!("project-rounds/{}", d.round_id), region_path, d, at)
    }

    pub fn ranking(d: &RankingPublished, region_path: &str, at: NaiveDateTime) -> Event {
        Event::new(Type::RankingPublished, format!("rankings/snapshots/{}", d.snapshot_id), region_path, d, at)
    }

    /// A deputy added (`created`) or changed, under the deepest of their seats' regions.
    pub fn deputy(d: &DeputyChanged, created: bool, region_path: &str, at: NaiveDateTime) -> Event {
        let kind = if created { Type::DeputyCreated } else { Type::DeputyChanged };
        Event::new(kind, format!("deputies/{}", d.deputy_id), region_path, d, at)
    }

    pub fn station(d: &StationChanged, created: bool, region_path: &str, at: NaiveDateTime) -> Event {
        let kind = if created { Type::StationCreated } else { Type::StationChanged };
        Event::new(kind, format!("stations/{}", d.station_id), region_path, d, at)
    }
}

/// Writes events in the caller's transaction: committed with the change or not at all.
pub fn emit(c: &mut AnyConnection, events: &[Event]) -> AppResult<()> {
    if !WRITING.load(Ordering::Relaxed) {
        return Ok(());
    }
    let rows: Vec<store::NewRow> = events
        .iter()
        .map(|e| (e.kind.as_str(), e.subject.as_str(), e.region_path.as_str(), e.data.as_str(), e.at))
        .collect();
    store::insert(c, &rows)
}

/// The deepest of a record's region paths (a deputy seated in a county and its city belongs
/// to the county's subtree, so both congresses' clients see it).
pub fn deepest(paths: &[String]) -> String {
    paths.iter().max_by_key(|p| p.len()).cloned().unwrap_or_else(|| "/".into())
}
