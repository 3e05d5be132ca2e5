//! The duty reports' background job: a week before a report's session, a deputy whose report is
//! not approved yet gets a notice (once per report); and the reminder staff send to everyone in a
//! congress and term who has not reported.

use super::store;
use crate::db::{self, utc, AnyConnection};
use crate::error::AppResult;
use crate::live::Wake;
use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// How far ahead a session makes its deputy hear of an unapproved report.
const AHEAD_DAYS: i64 = 7;

/// Once an hour: [`remind_due`]. Stops between runs.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("duty-reports", Duration::from_secs(3600), stop, move || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report("duty-reports", "reminding of report sessions", remind_due(&state).await);
        }
    })
    .await;
}

/// Sends the week-ahead notices; answers how many.
pub async fn remind_due(state: &AppState) -> AppResult<usize> {
    let (now, tz, quiet) = (state.now(), state.settings.tz, state.settings.quiet_hours);
    let (n, wakes) = db::tx(&state.db, move |c| {
        let due = store::to_remind(c, now, now + chrono::Duration::days(AHEAD_DAYS))?;
        let mut wakes = vec![];
        for r in &due {
            let when = r
                .scheduled_for
                .map(|t| utc(t).with_timezone(&tz).format("%m月%d日 %H:%M").to_string())
                .unwrap_or_default();
            let body = format!("您的述职评议会安排在{when}，述职报告尚未审定，请尽快完成并提交。");
            wakes.push(crate::notices::send_personal(c, r.deputy_id, "述职评议提醒", &body, now, tz, quiet)?.1);
            store::set_reminded(c, r.id, now)?;
        }
        Ok((due.len(), wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(n)
}

/// A notice to each of `deputies` who has not reported yet; answers the live news.
pub fn remind_unreported(c: &mut AnyConnection, state: &AppState, deputies: &[i64]) -> AppResult<Vec<Wake>> {
    let (now, s) = (state.now(), &state.settings);
    let body = "本届内您尚未向选民和原选举单位述职并接受评议，请与代表工作机构联系安排述职。";
    deputies
        .iter()
        .map(|d| Ok(crate::notices::send_personal(c, *d, "述职评议提醒", body, now, s.tz, s.quiet_hours)?.1))
        .collect()
}
