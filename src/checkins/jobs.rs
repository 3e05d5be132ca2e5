//! The check-ins' background job: closing stale check-ins and settling past duty slots.

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Background work of this capability: closes check-ins left open for 8 hours and settles ended
/// duty slots (no-shows), once a minute; stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("checkins", Duration::from_secs(60), stop, || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report(
                "checkins",
                "auto-close of check-ins",
                super::follow_up::close_stale(&state).await,
            );
            crate::platform::jobs::report("checkins", "duty slot settlement", super::on_duty::settle(&state).await);
        }
    })
    .await
}
