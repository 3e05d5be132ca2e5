//! The text queue: the configured provider, and enqueueing texts to deputies or to any number.

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::outbox::{classify, Outcome};
use crate::platform::pii::Pii;
use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

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
                    Err(e) => Outcome::Retry {
                        after: None,
                        error: format!("transport: {}", crate::platform::outbound::describe(&e)),
                    },
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
    super::store::enqueue(c, pii, notice, to, body, at)
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
    super::store::enqueue_one(c, pii, phone, body, dedup_id, at)
}

/// At most this many milestone texts reach one person in 24 hours.
pub const DAILY_CAP: i64 = 5;

/// A text to a person about their case or booking, in the caller's transaction: once per
/// `dedup_id`, at most [`DAILY_CAP`] a day to one `recipient` (e.g. `constituent:42`), held until
/// the quiet hours end. Returns whether it was queued.
pub fn enqueue_milestone(
    c: &mut AnyConnection,
    pii: &Pii,
    to: (&str, &str),
    body: &str,
    dedup_id: &str,
    at: NaiveDateTime,
    quiet: (Option<(chrono::NaiveTime, chrono::NaiveTime)>, chrono_tz::Tz),
) -> AppResult<bool> {
    let not_before = crate::push::after_quiet_hours(at, quiet.0, quiet.1);
    super::store::enqueue_capped(c, pii, to, body, dedup_id, DAILY_CAP, at, not_before)
}
