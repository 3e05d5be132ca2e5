//! The notices' background job: scheduled publication and escalation by text.

use super::escalate_due;
use crate::db::{self};
use crate::error::AppResult;
use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

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
    let due = db::run(&state.db, move |c| super::store::due(c, now, 100)).await?;
    let mut n = 0;
    for id in due {
        let (tz, quiet) = (state.settings.tz, state.settings.quiet_hours);
        match db::tx(&state.db, move |c| super::service::publish_in(c, id, now, tz, quiet)).await {
            Ok((_, wake)) => {
                crate::live::announce(state, &[wake]).await;
                n += 1
            }
            Err(e) if e.status.is_client_error() => {
                tracing::warn!(notice = id, error = %e.detail, "a scheduled notice could not be published; back to draft");
                db::tx(&state.db, move |c| super::store::set_status(c, id, &["scheduled"], "draft", None)).await?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
