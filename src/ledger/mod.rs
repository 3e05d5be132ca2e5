//! The points ledger (履职积分): the rulebook, append-only hash-chained entries (a database trigger
//! refuses UPDATE and DELETE), caps at award time, balances kept in the same transaction, the
//! consumer of point events from check-ins and events, explained statements, rankings and
//! chain verification.

mod appeals;
mod archive;
mod awards;
mod cache;
mod chain;
mod evaluation;
mod jobs;
mod model;
mod open;
mod ranking;
mod routes;
mod rulebook;
mod rules;
mod statements;
mod store;

use routes::this_year;
pub use routes::{register, register_hot};

pub use evaluation::{duty_report_due_in, duty_report_due_year, min_group_activities};
pub use store::ensure_default_rules;
pub use store::inbox::{note, note_many, noted_for, PointEvent};

pub use archive::{signed_of as signed_archive, verify as verify_archive, SignedArchive};
pub use awards::{consume as consume_point_events, consume_in as consume_point_events_in};
pub use awards::{consume_pending as consume_pending_point_events, reverse as reverse_entry};
pub use awards::{post as post_awards, propose_outcome, Award, EventOutcome};
pub use awards::{DirectAwards, Writes as DirectWrites};
pub use cache::LedgerCache;
pub use chain::{publish_heads, rebuild_balances, verify as verify_chains};
pub use jobs::{board_worker, worker};
pub use open::{summary as public_summary, PublicSummary};
pub use ranking::seats_changed as board_seats_changed;
pub use ranking::{build_tables as build_rank_tables, drain as drain_board, rebuild as rebuild_board};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::max_entry_id;
    pub use super::store::rank_tables::counts;
}
