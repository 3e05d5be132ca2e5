//! The suggestions' background job: reminding units of overdue replies.

use crate::db::{self};
use crate::error::AppResult;
use crate::state::AppState;

/// Texts the lead units of overdue suggestions, once a day each; returns how many.
pub async fn remind_overdue(state: &AppState) -> AppResult<usize> {
    let (now, pii) = (state.now(), state.pii.clone());
    db::tx(&state.db, move |c| {
        let due = super::store::tracking::overdue_unreminded(c, now, now - chrono::Duration::hours(24), 200)?;
        for (id, title, unit) in &due {
            let phone = match unit {
                Some(u) => crate::org::unit(c, *u)?.and_then(|(u, _)| u.contact_phone),
                None => None,
            };
            if let Some(phone) = phone {
                let text = format!("【履职】代表建议《{title}》已超过办理期限，请尽快答复代表。");
                crate::sms::enqueue_text(
                    c,
                    &pii,
                    &phone,
                    &text,
                    &format!("suggestion-overdue:{id}:{}", now.format("%Y%m%d")),
                    now,
                )?;
            }
            super::store::tracking::set_reminded(c, *id, now)?;
        }
        Ok(due.len())
    })
    .await
}

/// Once an hour: reminds the units of overdue suggestions; stops between runs.
pub async fn worker(state: AppState, stop: tokio::sync::watch::Receiver<bool>) {
    crate::platform::jobs::every("suggestions", std::time::Duration::from_secs(3600), stop, || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report(
                "suggestions",
                "reminding units of overdue suggestions",
                remind_overdue(&state).await,
            )
        }
    })
    .await
}
