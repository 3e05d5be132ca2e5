//! The webhook provider: a gateway of the installation's own (a relay to the vendors, or a
//! test's fake). One push is a JSON body signed with `X-Lvzhi-Signature: sha256=HMAC(secret,
//! body)` and carrying `X-Lvzhi-Dedup-Id`. In batch mode (`LVZHI_PUSH_WEBHOOK_BATCH` > 1) the
//! body is a JSON array of pushes, each with its `dedup_id`, and the gateway answers
//! `{"results": [{"dedup_id": …, "status": 200 | 410 | 429 | 5xx | 4xx, "error": …}]}`, one per
//! push: each push's fate is read from its own status; a push it does not answer for is tried
//! again; a 429 or 5xx for the whole request retries them all.

use super::provider::{read, Message};
use crate::platform::outbox::{classify, Outcome};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;

pub struct Webhook {
    url: String,
    secret: String,
}

impl Webhook {
    pub fn new(url: String, secret: String) -> Self {
        Webhook { url, secret }
    }

    fn post(&self, http: &reqwest::Client, body: Vec<u8>, dedup: &str) -> reqwest::RequestBuilder {
        let signature = match Hmac::<Sha256>::new_from_slice(self.secret.as_bytes()) {
            Ok(mut mac) => {
                mac.update(&body);
                hex::encode(mac.finalize().into_bytes())
            }
            // (HMAC takes a key of any length.)
            Err(_) => String::new(),
        };
        http.post(&self.url)
            .header("content-type", "application/json")
            .header("x-lvzhi-dedup-id", dedup)
            .header("x-lvzhi-signature", format!("sha256={signature}"))
            .body(body)
    }

    pub async fn send(&self, http: &reqwest::Client, m: &Message) -> Outcome {
        let body = match serde_json::to_vec(m) {
            Ok(b) => b,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        read(self.post(http, body, &m.dedup_id).send().await, |status, retry_after, text| {
            match classify(status, retry_after, text) {
                // The gateway answers JSON; anything else is a gateway in trouble.
                Outcome::Accepted if serde_json::from_str::<serde_json::Value>(text).is_err() => {
                    Outcome::Retry { after: None, error: format!("{status}: the gateway's answer is not JSON") }
                }
                other => other,
            }
        })
        .await
    }

    /// Sends pushes as one JSON array: one outcome per message, in order.
    pub async fn send_many(&self, http: &reqwest::Client, ms: &[&Message]) -> Vec<Outcome> {
        let body = match serde_json::to_vec(ms) {
            Ok(b) => b,
            Err(e) => return vec![Outcome::Failed(e.to_string()); ms.len()],
        };
        let dedup = super::rules::batch_uuid(ms.iter().map(|m| m.dedup_id.as_str())).simple().to_string();
        let mut each: Option<HashMap<String, (u16, String)>> = None;
        let whole = read(self.post(http, body, &dedup).send().await, |status, retry_after, text| {
            match classify(status, retry_after, text) {
                Outcome::Accepted => {
                    each = results(text);
                    match each {
                        Some(_) => Outcome::Accepted,
                        None => Outcome::Retry {
                            after: None,
                            error: format!("{status}: the gateway's answer has no results"),
                        },
                    }
                }
                other => other,
            }
        })
        .await;
        let Some(each) = each else { return vec![whole; ms.len()] };
        ms.iter()
            .map(|m| match each.get(&m.dedup_id) {
                Some((status, error)) => classify(*status, None, error),
                None => Outcome::Retry { after: None, error: "the gateway did not answer for this push".into() },
            })
            .collect()
    }
}

/// The per-push answers of a batch: dedup id → (status, error).
fn results(text: &str) -> Option<HashMap<String, (u16, String)>> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let rows = v["results"].as_array()?;
    Some(
        rows.iter()
            .filter_map(|r| {
                let status = u16::try_from(r["status"].as_u64()?).ok()?;
                let error = r["error"].as_str().unwrap_or("").to_string();
                Some((r["dedup_id"].as_str()?.to_string(), (status, error)))
            })
            .collect(),
    )
}
