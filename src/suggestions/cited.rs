//! A suggestion cited elsewhere: when a livelihood project's candidate cites a suggestion by its
//! number, the suggestion's history says so (an event that keeps its state, with a note).

use super::store;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// Notes on the suggestion numbered `number`, if it lies under `under` (a region path), that it
/// was taken up as `note` says; false when there is no such suggestion there.
pub fn note_cited(
    c: &mut AnyConnection,
    number: &str,
    under: &str,
    note: &str,
    account: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let Some(s) = store::by_number(c, number)? else { return Ok(false) };
    if !s.region_path.starts_with(under) {
        return Ok(false);
    }
    store::event(c, s.id, (Some(&s.status), &s.status), (account, "staff"), Some(note), now)?;
    Ok(true)
}
