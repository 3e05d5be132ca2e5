//! Rankings: the year's top lists and each deputy's place, kept in sorted sets (the leaderboards)
//! or in ranking tables, or counted in SQL; and the quarterly published snapshots.

mod board;
mod read;
mod routes;
mod scopes;
mod tables;

pub use board::{drain, ensure as ensure_board, rebuild, seats_changed};
pub use routes::{publish, ranking, snapshot_rows, snapshots, view as snapshot_view, SnapshotView};
pub use tables::{build as build_tables, ensure as ensure_tables};
