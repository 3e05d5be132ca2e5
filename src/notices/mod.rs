//! Notices and briefing materials (会议通知, 学习资料, 情况通报): drafts, scheduled and immediate
//! publication to an audience resolved into one inbox row per deputy in bulk, read receipts,
//! RSVP with leave (approved leave excuses the deputy from the linked meeting), the staff view
//! with counts and the lists of who has not read or answered, reminders to the unread.

mod audience;
mod escalation;
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

use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::watch;

pub use escalation::escalate_due;

pub use audience::{resolve as resolve_audience, Audience};
pub use routes::attachments::AttachmentView;
pub use service::{from_system as publish_from_system, personal as send_personal, publish_in};

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::attachments::{insert as insert_attachment, NewAttachment};
    pub use super::store::{insert, NewNotice};
}

/// What a push about notice `n` says (carried by the push row, so delivery never reads notices).
fn headline(n: &store::NoticeRow) -> crate::push::Headline {
    crate::push::Headline { notice: n.id, kind: n.kind.clone(), title: n.title.clone(), priority: n.priority.clone() }
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

/// Every 10 s: publishes scheduled notices when their time comes and escalates unanswered or
/// urgent ones by text; stops between rounds.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("notices", Duration::from_secs(10), stop, || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report("notices", "publishing scheduled notices", publish_due(&state).await);
            crate::platform::jobs::report("notices", "escalating by text", escalate_due(&state).await);
        }
    })
    .await
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
