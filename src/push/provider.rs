//! Push providers behind one interface. `webhook` posts an HMAC-signed JSON body to a gateway
//! (a relay to the phone vendors' channels, or a test's fake); every send carries the outbox
//! row's dedup id, so a provider drops a repeat. APNs, FCM, JPush and vendor channels plug in
//! here with their own authentication; until configured, pushes for them become dead letters
//! that say so.

use super::rules::{classify, Outcome};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// What one push says.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Message {
    pub dedup_id: String,
    pub platform: String,
    pub token: String,
    pub notice_id: i64,
    pub kind: String,
    pub title: String,
    pub priority: String,
}

#[derive(Clone)]
pub struct Providers {
    http: reqwest::Client,
    webhook: Option<(String, String)>,
}

/// Every provider name a device may register with.
pub const PROVIDERS: [&str; 5] = ["webhook", "apns", "fcm", "jpush", "huawei"];

impl Providers {
    pub fn new(webhook: Option<(String, String)>) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| format!("push HTTP client: {e}"))?;
        Ok(Providers { http, webhook })
    }

    pub async fn send(&self, provider: &str, m: &Message) -> Outcome {
        match (provider, &self.webhook) {
            ("webhook", Some((url, secret))) => self.webhook(url, secret, m).await,
            _ => Outcome::Failed(format!("provider `{provider}` is not configured on this installation")),
        }
    }

    async fn webhook(&self, url: &str, secret: &str, m: &Message) -> Outcome {
        let body = match serde_json::to_vec(m) {
            Ok(b) => b,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return Outcome::Failed("bad webhook secret".into()) };
        mac.update(&body);
        let signature = hex::encode(mac.finalize().into_bytes());
        let sent = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("x-lvzhi-dedup-id", &m.dedup_id)
            .header("x-lvzhi-signature", format!("sha256={signature}"))
            .body(body)
            .send()
            .await;
        match sent {
            Err(e) => Outcome::Retry { after: None, error: format!("transport: {e}") },
            Ok(r) => {
                let status = r.status().as_u16();
                let retry_after = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
                let text = r.text().await.unwrap_or_default();
                classify(status, retry_after, &text)
            }
        }
    }
}
