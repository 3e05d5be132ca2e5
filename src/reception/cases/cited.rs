//! A case cited elsewhere: when an opinion becomes a livelihood project's candidate, its history
//! says so (an event that keeps its state, with a note), so the constituent and staff see where
//! their opinion went.

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::reception::store::opinions::{self as store, Event};
use chrono::NaiveDateTime;

/// Notes on the opinion with `ticket`, if it lies under `under` (a region path), that it was
/// taken up as `note` says; false when there is no such opinion there.
pub fn note_cited(
    c: &mut AnyConnection,
    ticket: &str,
    under: &str,
    note: &str,
    account: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let Some(o) = store::by_ticket(c, ticket)? else { return Ok(false) };
    if !o.region_path.starts_with(under) {
        return Ok(false);
    }
    let e = Event { from: Some(&o.status), to: &o.status, account, role: "staff", note: Some(note) };
    store::event(c, o.id, &e, now)?;
    Ok(true)
}
