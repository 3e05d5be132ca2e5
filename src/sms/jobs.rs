//! Text delivery: one round over the due texts, and the worker that runs it every 15 s.

use crate::db::{self};
use crate::error::AppResult;
use crate::platform::outbox::{next_step, Outcome, Step};
use crate::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

/// Sends what is due; returns how many texts were attempted.
pub async fn deliver_once(state: &AppState) -> AppResult<usize> {
    use futures_util::StreamExt;
    let (now, lease) = (state.now(), chrono::Duration::seconds(state.settings.push_lease_secs));
    let due = db::tx(&state.db, move |c| super::store::claim(c, now, now + lease, 200)).await?;
    // Sent concurrently, like pushes (an escalation can text a whole county at once).
    let results: Vec<(super::store::Due, Outcome)> = futures_util::stream::iter(due)
        .map(|d| async move {
            let body = match crate::platform::pii::is_sealed(&d.3) {
                true => state.pii.open(crate::platform::pii::field::SMS_BODY, &d.3),
                false => Ok(d.3.clone()),
            };
            let out = match (state.pii.open(crate::platform::pii::field::SMS_PHONE, &d.2), body) {
                (Ok(phone), Ok(body)) => state.sms.send(&d.1, &phone, &body).await,
                // A key missing from LVZHI_PII_KEYS: kept for a later try (the key may come back).
                (Err(e), _) | (_, Err(e)) => Outcome::Retry { after: None, error: e.to_string() },
            };
            (d, out)
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let (n, max, at) = (results.len(), state.settings.push_max_attempts, state.now());
    if n == 0 {
        return Ok(0);
    }
    db::tx(&state.db, move |c| {
        // A dead number is a dead letter too (nothing to disable, unlike a push device).
        let steps: Vec<(i64, Step)> = results
            .iter()
            .map(|((id, _, _, _, attempts), out)| {
                let out = match out {
                    Outcome::Gone(e) => Outcome::Failed(e.clone()),
                    other => other.clone(),
                };
                (*id, next_step(&out, *attempts, max, at, rand::random::<f64>()))
            })
            .collect();
        super::store::settle(c, &steps.iter().map(|(id, s)| (*id, s)).collect::<Vec<_>>(), at)?;
        // A sealed body is a secret (a sign-in code): gone once the text is sent or dead.
        let ended: Vec<i64> = results
            .iter()
            .zip(&steps)
            .filter(|(((_, _, _, body, _), _), (_, step))| {
                crate::platform::pii::is_sealed(body) && matches!(step, Step::Sent | Step::Dead(_))
            })
            .map(|(_, (id, _))| *id)
            .collect();
        super::store::forget_bodies(c, &ended)
    })
    .await?;
    Ok(n)
}

/// Sends due texts every 15 s; stops between rounds.
pub async fn worker(state: AppState, stop: watch::Receiver<bool>) {
    crate::platform::jobs::every("sms", Duration::from_secs(15), stop, || {
        let state = state.clone();
        async move { crate::platform::jobs::report("sms", "delivering texts", deliver_once(&state).await) }
    })
    .await
}
