//! The reception room's background job: reminding units of overdue cases and both sides of receptions\nabout to begin.

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Once a minute: texts the units of overdue cases (once a day per case) and reminds both sides
/// of receptions about to begin; stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("reception", Duration::from_secs(60), stop, || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report(
                "reception",
                "reminding units of overdue opinions",
                super::cases::routes::forwarding::remind_overdue(&state).await,
            );
            crate::platform::jobs::report(
                "reception",
                "reminding of receptions",
                super::appointments::routes::booking::remind(&state).await,
            );
        }
    })
    .await
}
