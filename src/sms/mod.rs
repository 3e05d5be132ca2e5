//! Text messages (SMS): the fallback channel for urgent notices and unanswered meeting notices
//! (and, later, sign-in codes). Messages go through an outbox with the same guarantees as
//! pushes — a stable dedup id, leases, backoff, a dead letter after the last attempt — to a
//! provider behind one interface: `log` (development: only logs) or `http` (an SMS gateway,
//! HMAC-signed JSON, like the push webhook).

mod store;

use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::platform::outbox::{classify, next_step, Outcome, Step};
use crate::platform::pii::Pii;
use crate::state::AppState;
use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Clone)]
pub enum Provider {
    /// Logs the message (development and tests).
    Log,
    /// POSTs `{"dedup_id","phone","body"}` signed with `X-Lvzhi-Signature: sha256=…`.
    Http { client: reqwest::Client, url: String, secret: String },
}

impl Provider {
    pub fn new(http: Option<(String, String)>, timeout: Duration, allow: &[String]) -> Result<Self, String> {
        Ok(match http {
            None => Provider::Log,
            Some((url, secret)) => {
                let client = crate::platform::outbound::client(allow, timeout)?;
                Provider::Http { client, url, secret }
            }
        })
    }

    pub async fn send(&self, dedup_id: &str, phone: &str, body: &str) -> Outcome {
        match self {
            Provider::Log => {
                tracing::info!(dedup_id, phone = %crate::org::rules::mask_phone(phone), body, "SMS (log provider)");
                Outcome::Accepted
            }
            Provider::Http { client, url, secret } => {
                let payload = serde_json::json!({"dedup_id": dedup_id, "phone": phone, "body": body}).to_string();
                let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
                    return Outcome::Failed("bad SMS secret".into());
                };
                mac.update(payload.as_bytes());
                let sent = client
                    .post(url)
                    .header("content-type", "application/json")
                    .header("x-lvzhi-dedup-id", dedup_id)
                    .header("x-lvzhi-signature", format!("sha256={}", hex::encode(mac.finalize().into_bytes())))
                    .body(payload)
                    .send()
                    .await;
                match sent {
                    Err(e) => Outcome::Retry { after: None, error: format!("transport: {e}") },
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let after = r
                            .headers()
                            .get("retry-after")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse().ok());
                        classify(status, after, &r.text().await.unwrap_or_default())
                    }
                }
            }
        }
    }
}

pub use store::reseal as reseal_phones;

/// Queues one text per (deputy, phone) about a notice, in the caller's transaction; a deputy
/// already texted about it is not texted again (the dedup id is per notice and deputy).
pub fn enqueue(
    c: &mut AnyConnection,
    pii: &Pii,
    notice: i64,
    to: &[(i64, String)],
    body: &str,
    at: NaiveDateTime,
) -> AppResult<usize> {
    store::enqueue(c, pii, notice, to, body, at)
}

/// Queues one text that is not about a notice (a sign-in code), in the caller's transaction.
pub fn enqueue_text(
    c: &mut AnyConnection,
    pii: &Pii,
    phone: &str,
    body: &str,
    dedup_id: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    store::enqueue_one(c, pii, phone, body, dedup_id, at)
}

/// Sends what is due; returns how many texts were attempted.
pub async fn deliver_once(state: &AppState) -> AppResult<usize> {
    use futures_util::StreamExt;
    let (now, lease) = (state.now(), chrono::Duration::seconds(state.settings.push_lease_secs));
    let due = db::tx(&state.db, move |c| store::claim(c, now, now + lease, 200)).await?;
    // Sent concurrently, like pushes (an escalation can text a whole county at once).
    let results: Vec<(store::Due, Outcome)> = futures_util::stream::iter(due)
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
        store::settle(c, &steps.iter().map(|(id, s)| (*id, s)).collect::<Vec<_>>(), at)?;
        // A sealed body is a secret (a sign-in code): gone once the text is sent or dead.
        let ended: Vec<i64> = results
            .iter()
            .zip(&steps)
            .filter(|(((_, _, _, body, _), _), (_, step))| {
                crate::platform::pii::is_sealed(body) && matches!(step, Step::Sent | Step::Dead(_))
            })
            .map(|(_, (id, _))| *id)
            .collect();
        store::forget_bodies(c, &ended)
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
