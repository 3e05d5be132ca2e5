//! The fixed contacts' background job: a deputy with contacts overdue against their frequency
//! gets one notice naming them, once per contact and due date.

use crate::contacts::store;
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::watch;

/// Once an hour: [`remind_overdue`]. Stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("fixed-contacts", Duration::from_secs(3600), stop, move || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report("fixed-contacts", "overdue reminders", remind_overdue(&state).await);
        }
    })
    .await;
}

/// Sends the overdue reminders; answers how many deputies were told.
pub async fn remind_overdue(state: &AppState) -> AppResult<usize> {
    let (now, tz, quiet) = (state.now(), state.settings.tz, state.settings.quiet_hours);
    let today = state.clock.now().with_timezone(&tz).date_naive();
    let (n, wakes) = db::tx(&state.db, move |c| {
        let mut due: BTreeMap<i64, Vec<(i64, String, String)>> = BTreeMap::new();
        for (id, deputy, name, on) in store::to_remind(c, today, 20_000)? {
            due.entry(deputy).or_default().push((id, name, on));
        }
        let mut wakes = vec![];
        for (deputy, list) in &due {
            let names: Vec<&str> = list.iter().map(|x| x.1.as_str()).collect();
            let body =
                format!("您的固定联系群众{}已超过约定的联系频次，请及时走访联系并在履职App中记录。", names.join("、"));
            wakes.push(crate::notices::send_personal(c, *deputy, "联系群众提醒", &body, now, tz, quiet)?.1);
            for (id, _, on) in list {
                store::set_reminded(c, *id, on)?;
            }
        }
        Ok((wakes.len(), wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(n)
}
