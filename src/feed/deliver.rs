//! Webhook delivery: one subscription at a time is leased, the events after its cursor (of its
//! types, in its region) are sent as one CloudEvents JSON batch signed as Standard Webhooks
//! says, and the cursor moves only when the receiver took them — so deliveries are in order and
//! at least once. Failures are retried with the outbox kit's backoff; after a day of them the
//! subscription is paused (resumed by an admin, from where it stopped); a 410 disables it and
//! tells the admins (the audit log, the log and the metrics).

use crate::audit::Entry;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::feed::routes::{secrets, source};
use crate::feed::rules;
use crate::feed::store::{self, subscriptions as subs};
use crate::platform::outbox::{backoff, classify, Outcome};
use crate::state::AppState;
use chrono::Duration as Span;
use std::time::Duration;

/// How long a leased subscription is held (its delivery's timeout and some).
const LEASE_SECS: i64 = 60;
/// How soon an idle subscription looks again.
const IDLE_MS: i64 = 1000;

/// The HTTP client of deliveries: outbound rules, no redirects, a timeout.
pub fn http_client(state: &AppState) -> AppResult<reqwest::Client> {
    crate::platform::outbound::client(&state.settings.outbound_allow, Duration::from_secs(30))
        .map_err(AppError::internal)
}

/// Delivers to every subscription due, until none is (or `max_rounds` deliveries were made);
/// answers how many events were taken by receivers.
pub async fn deliver_due(state: &AppState, http: &reqwest::Client, max_rounds: usize) -> AppResult<usize> {
    crate::feed::sequencer::catch_up(state).await?;
    let mut taken = 0;
    for _ in 0..max_rounds {
        let now = state.now();
        let Some(row) = db::tx(&state.db, move |c| subs::lease_due(c, now, now + Span::seconds(LEASE_SECS))).await?
        else {
            break;
        };
        taken += deliver_one(state, http, row).await?;
    }
    Ok(taken)
}

async fn deliver_one(state: &AppState, http: &reqwest::Client, row: subs::SubscriptionRow) -> AppResult<usize> {
    let (id, cursor, scope, types) = (row.id, row.cursor_seq, row.region_path.clone(), row.types.clone());
    let (events, upto, head) = db::read(&state.db, move |c| {
        let head = store::head(c)?;
        let upto = head.min(cursor.saturating_add(rules::SCAN));
        let names: Vec<&str> = types.split_whitespace().collect();
        Ok((store::read(c, (cursor, upto), &scope, &names, rules::BATCH)?, upto, head))
    })
    .await?;
    let now = state.now();
    if events.is_empty() {
        // Nothing of this subscription's up to `upto`: skip there; look again soon (at once
        // when the scan stopped short of the head).
        let next = if upto < head { now } else { now + Span::milliseconds(IDLE_MS) };
        db::tx(&state.db, move |c| subs::idle(c, id, upto, next)).await?;
        return Ok(0);
    }
    let (first, last, n) = (events[0].0, events[events.len() - 1].0, events.len());
    let mut body = Vec::with_capacity(events.iter().map(|r| r.4.len() + 400).sum());
    rules::render::array(&mut body, &rules::render::quoted(&source(state)), &events);
    // The same id on every attempt of the same events (receivers deduplicate on it).
    let msg_id = format!("msg_{id}_{first}_{last}");
    let ts = state.clock.now().timestamp();
    let keys = secrets(&state.pii, &row, now)?;
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let sent = http
        .post(&row.url)
        .header("content-type", "application/cloudevents-batch+json")
        .header("webhook-id", &msg_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", rules::signatures(&refs, &msg_id, ts, &body))
        .body(body)
        .send()
        .await;
    let outcome = match sent {
        Err(e) if e.is_timeout() => Outcome::Retry { after: None, error: "timeout".into() },
        Err(e) => {
            Outcome::Retry { after: None, error: format!("transport: {}", crate::platform::outbound::describe(&e)) }
        }
        Ok(r) => {
            let status = r.status().as_u16();
            let after = r.headers().get("retry-after").and_then(|v| v.to_str().ok()?.trim().parse().ok());
            let text = r.text().await.unwrap_or_default();
            classify(status, after, &text)
        }
    };
    let now = state.now();
    match outcome {
        Outcome::Accepted => {
            db::tx(&state.db, move |c| subs::delivered(c, id, last, n as i64, now)).await?;
            return Ok(n);
        }
        Outcome::Gone(error) => {
            tracing::warn!(subscription = id, url = %row.url, "the receiver answered 410: subscription disabled");
            let path = row.region_path.clone();
            db::tx(&state.db, move |c| {
                subs::failed(c, &row, "disabled", now, &error, now)?;
                Entry::system("feed.receiver_gone", "feed_subscription", id.to_string())
                    .region(Some(path))
                    .detail(format!("the receiver answered 410; disabled: {error}"))
                    .write(c, now)
            })
            .await?;
        }
        Outcome::Retry { after, error } => failed(state, row, after, error, now).await?,
        // A refusal may be the receiver's configuration: retried like the rest, paused after a day.
        Outcome::Failed(error) => failed(state, row, None, error, now).await?,
    }
    Ok(0)
}

async fn failed(
    state: &AppState,
    row: subs::SubscriptionRow,
    after: Option<Duration>,
    error: String,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let since = row.failing_since.unwrap_or(now);
    let paused = now - since >= Span::hours(rules::PAUSE_AFTER_HOURS);
    let wait = backoff(row.attempts, after, rand::random::<f64>());
    let next = now + Span::milliseconds(wait.as_millis() as i64);
    let status = if paused { "paused" } else { "active" };
    if paused {
        tracing::warn!(subscription = row.id, "deliveries failed for a day: subscription paused");
    }
    let id = row.id;
    db::tx(&state.db, move |c| {
        subs::failed(c, &row, status, next, &error, now)?;
        if paused {
            Entry::system("feed.paused", "feed_subscription", id.to_string())
                .region(Some(row.region_path.clone()))
                .detail(format!("a day of failed deliveries; last: {error}"))
                .write(c, now)?;
        }
        Ok(())
    })
    .await
}
