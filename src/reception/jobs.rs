//! The reception room's background jobs: reminding units of overdue cases and both sides of
//! receptions about to begin, and texting people at their cases' milestones.

use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Every 10 seconds: texts people whose cases reached a milestone. Once a minute: texts the
/// units of overdue cases (once a day per case) and reminds both sides of receptions about to
/// begin. Stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    let texts = {
        let (state, stop) = (state.clone(), stop.clone());
        crate::platform::jobs::every("reception-texts", Duration::from_secs(10), stop, move || {
            let state = state.clone();
            async move {
                crate::platform::jobs::report(
                    "reception",
                    "texting case milestones",
                    super::cases::texts::text_milestones(&state).await,
                );
            }
        })
    };
    let reminders = crate::platform::jobs::every("reception", Duration::from_secs(60), stop, || {
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
                super::appointments::reminders::remind(&state).await,
            );
        }
    });
    tokio::join!(texts, reminders);
}
