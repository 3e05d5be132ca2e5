//! The consultations' hourly jobs: two days before a consultation closes (and at least a day
//! after it was published), one notice to the deputies it reached who have neither commented
//! nor answered; after it closes, the held
//! anonymous answers settled.

use crate::consultations::store::{self, answers, comments};
use crate::db;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::Duration as Days;
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::watch;

/// Runs the reminder every hour until `stop`.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("consultations", Duration::from_secs(3600), stop, move || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report("consultations", "closing reminders", remind_closing(&state).await);
            crate::platform::jobs::report("consultations", "held answers settled", settle_closed(&state).await);
        }
    })
    .await;
}

/// Sends the reminders due; answers how many deputies were reminded.
pub async fn remind_closing(state: &AppState) -> AppResult<usize> {
    let (now, tz, quiet) = (state.now(), state.settings.tz, state.settings.quiet_hours);
    let (n, wakes) = db::tx(&state.db, move |c| {
        let (mut told, mut wakes) = (0, vec![]);
        for row in store::to_remind(c, now, now + Days::days(2))? {
            // Never within a day of the publication's own notice (a short window): next hour.
            if row.published_at.is_some_and(|p| now - p < Days::days(1)) {
                continue;
            }
            let mut done: HashSet<i64> =
                answers::participants(c, row.id)?.iter().filter_map(|k| k.strip_prefix("d:")?.parse().ok()).collect();
            done.extend(comments::deputies(c, row.id)?);
            let missing: Vec<i64> = store::audience(c, row.id)?.into_iter().filter(|d| !done.contains(d)).collect();
            store::mark_reminded(c, row.id, now)?;
            if missing.is_empty() {
                continue;
            }
            let close = row.closes_at.and_utc().with_timezone(&tz).format("%m月%d日 %H:%M");
            let body =
                format!("《{}》征求意见将于{close}截止，您尚未提出意见或填写问卷，请在履职App中参与。", row.title);
            let to = crate::notices::Audience { deputies: missing.clone(), ..Default::default() };
            let congress = (row.region_id, row.region_path.as_str());
            let (_, _, wake) = crate::notices::publish_from_system(
                c,
                congress,
                ("general", "征求意见即将截止", &body),
                &to,
                now,
                tz,
                quiet,
            )?;
            wakes.push(wake);
            told += missing.len();
        }
        Ok((told, wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(n)
}

/// Settles the held anonymous answers of consultations that have closed; answers how many.
pub async fn settle_closed(state: &AppState) -> AppResult<usize> {
    let (now, pii) = (state.now(), state.pii.clone());
    db::tx(&state.db, move |c| {
        let mut n = 0;
        for id in answers::holding(c)? {
            match store::get(c, id)? {
                Some(row) if row.closes_at <= now => n += crate::consultations::held::settle(c, &pii, id)?,
                _ => {}
            }
        }
        Ok(n)
    })
    .await
}
