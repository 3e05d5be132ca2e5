//! Excused absence: a deputy's leave from a meeting, recorded before or after it.

use super::store::attendance as store;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// Records approved leave of an invitee (from a meeting notice's RSVP) so the deputy counts as
/// excused when the event closes. Answers false when the deputy is not invited or the event has
/// started (attendance is then decided at the door).
pub fn excuse(conn: &mut AnyConnection, event: i64, deputy: i64, now: NaiveDateTime) -> AppResult<bool> {
    let started = store::created_and_starts(conn, event)?.map(|x| x.1);
    if started.is_none_or(|s| s <= now) {
        return Ok(false);
    }
    store::approve_leave(conn, event, deputy)
}
