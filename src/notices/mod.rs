//! Notices and briefing materials (会议通知, 学习资料, 情况通报): drafts, scheduled and immediate
//! publication to an audience resolved into one inbox row per deputy in bulk, read receipts,
//! RSVP with leave (approved leave excuses the deputy from the linked meeting), the staff view
//! with counts and the lists of who has not read or answered, reminders to the unread.

mod attachment_store;
mod attachments;
mod audience;
mod escalation;
mod inbox;
mod model;
mod routes;
mod rules;
mod service;
mod store;

pub use routes::{register, register_hot};

use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::watch;

pub use escalation::escalate_due;

pub use attachments::AttachmentView;
pub use audience::{resolve as resolve_audience, Audience};
pub use service::{from_system as publish_from_system, personal as send_personal, publish_in};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::attachment_store::{insert as insert_attachment, NewAttachment};
    pub use super::store::{insert, NewNotice};
}

/// (kind, title, priority) of notices, for the pushes that carry them.
pub fn headlines(c: &mut AnyConnection, ids: &[i64]) -> AppResult<HashMap<i64, (String, String, String)>> {
    use crate::db::schema::notices as n;
    let rows: Vec<(i64, String, String, String)> = n::table.filter(n::id.eq_any(ids)).select((n::id, n::kind, n::title, n::priority)).load(c)?;
    Ok(rows.into_iter().map(|(id, k, t, p)| (id, (k, t, p))).collect())
}

/// Records pushes to (notice, deputy) pairs' devices (and whether the provider accepted them):
/// one statement per notice.
pub fn record_pushes(c: &mut AnyConnection, pushes: &[(i64, i64)], acked: bool, at: NaiveDateTime) -> AppResult<()> {
    let mut by_notice: HashMap<i64, Vec<i64>> = HashMap::new();
    for (n, d) in pushes {
        by_notice.entry(*n).or_default().push(*d);
    }
    for (n, deputies) in by_notice {
        store::pushed(c, n, &deputies, acked, at)?;
    }
    Ok(())
}

/// Publishes scheduled notices when their time comes (every 10 s); stops between runs.
pub async fn worker(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_secs(10)) => {}
        }
        if let Err(e) = publish_due(&state).await {
            tracing::warn!(error = %e, "publishing scheduled notices failed");
        }
    }
}

/// Publishes every scheduled notice that is due; returns how many. One whose audience no longer
/// resolves goes back to draft (logged).
pub async fn publish_due(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let due = db::run(&state.db, move |c| store::due(c, now, 100)).await?;
    let mut n = 0;
    for id in due {
        let (tz, quiet) = (state.settings.tz, state.settings.quiet_hours);
        match db::tx(&state.db, move |c| service::publish_in(c, id, now, tz, quiet)).await {
            Ok((_, wake)) => {
                crate::live::announce(state, &[wake]).await;
                n += 1
            }
            Err(e) if e.status.is_client_error() => {
                tracing::warn!(notice = id, error = %e.detail, "a scheduled notice could not be published; back to draft");
                db::tx(&state.db, move |c| store::set_status(c, id, &["scheduled"], "draft", None)).await?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
