//! The projects' background job: the lead unit of a project whose milestone is overdue (红灯) is
//! texted once a day per milestone, at its contact phone, like the units of overdue opinions.

use super::rules::works::{overdue_text, LEAD};
use super::store::works as ws;
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Once a minute: [`text_overdue_milestones`]. Stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("projects", Duration::from_secs(60), stop, move || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report(
                "projects",
                "texting units of overdue milestones",
                text_overdue_milestones(&state).await,
            );
        }
    })
    .await;
}

/// Texts the lead units of overdue milestones of implementing rounds, once a local day each (up
/// to 200 a run); answers how many milestones were handled.
pub async fn text_overdue_milestones(state: &AppState) -> AppResult<usize> {
    let (now, pii) = (state.now(), state.pii.clone());
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive().format("%Y-%m-%d").to_string();
    db::tx(&state.db, move |c| {
        let due = ws::overdue_unreminded(c, &today, 200)?;
        for (id, project, title, milestone, due_on) in &due {
            let lead = ws::units_of(c, &[*project])?.into_iter().find(|u| u.2 == LEAD);
            let phone = match lead {
                Some(u) => crate::org::unit(c, u.1)?.and_then(|(u, _)| u.contact_phone),
                None => None,
            };
            if let Some(phone) = phone {
                let key = format!("project-milestone-overdue:{id}:{today}");
                crate::sms::enqueue_text(c, &pii, &phone, &overdue_text(title, milestone, due_on), &key, now)?;
            }
            ws::set_reminded(c, *id, &today)?;
        }
        Ok(due.len())
    })
    .await
}
