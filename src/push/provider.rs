//! Push providers behind one interface: `webhook` (an HMAC-signed JSON body to a gateway — a
//! relay, or a test's fake), `apns` (token-based auth, ES256 JWT refreshed), `fcm` (HTTP v1,
//! service-account JWT exchanged for an OAuth token), `jpush` (with its `cid` against repeats)
//! and `huawei` (Push Kit, OAuth client credentials). Every send carries the outbox row's
//! stable dedup id; every answer is read into one [`Outcome`]. A provider that is not
//! configured turns its pushes into dead letters that say so.

use super::{apns, china, google};
use crate::config::ProviderSettings;
use crate::platform::outbox::{classify, Outcome};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::sync::Arc;

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

impl Message {
    /// The heading a phone shows: the kind of notice.
    pub fn heading(&self) -> &'static str {
        match self.kind.as_str() {
            "meeting" => "会议通知",
            "briefing" => "情况通报",
            "study" => "学习资料",
            "training" => "培训通知",
            _ => "通知",
        }
    }
    pub fn urgent(&self) -> bool {
        self.priority == "urgent"
    }
    /// A UUID derived from the dedup id (APNs `apns-id`, JPush `cid`): the same for every resend.
    pub fn dedup_uuid(&self) -> uuid::Uuid {
        let h = Sha256::digest(self.dedup_id.as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&h[..16]);
        uuid::Builder::from_custom_bytes(b).into_uuid()
    }
}

#[derive(Clone)]
pub struct Providers {
    http: reqwest::Client,
    webhook: Option<(String, String)>,
    apns: Option<Arc<apns::Apns>>,
    fcm: Option<Arc<google::Fcm>>,
    jpush: Option<Arc<china::JPush>>,
    huawei: Option<Arc<china::Huawei>>,
}

/// Every provider name a device may register with.
pub const PROVIDERS: [&str; 5] = ["webhook", "apns", "fcm", "jpush", "huawei"];

impl Providers {
    pub fn new(s: &ProviderSettings) -> Result<Self, String> {
        let http = crate::platform::outbound::client(&s.allow, s.timeout)?;
        Ok(Providers {
            http,
            webhook: s.webhook.clone(),
            apns: s.apns.as_ref().map(apns::Apns::new).transpose()?.map(Arc::new),
            fcm: s.fcm.as_ref().map(google::Fcm::new).transpose()?.map(Arc::new),
            jpush: s.jpush.clone().map(|c| Arc::new(china::JPush::new(c))),
            huawei: s.huawei.clone().map(|c| Arc::new(china::Huawei::new(c))),
        })
    }

    pub async fn send(&self, provider: &str, m: &Message) -> Outcome {
        let off = || Outcome::Failed(format!("provider `{provider}` is not configured on this installation"));
        match provider {
            "webhook" if self.webhook.is_some() => self.webhook(m).await,
            "apns" => match &self.apns {
                Some(p) => p.send(&self.http, m).await,
                None => off(),
            },
            "fcm" => match &self.fcm {
                Some(p) => p.send(&self.http, m).await,
                None => off(),
            },
            "jpush" => match &self.jpush {
                Some(p) => p.send(&self.http, m).await,
                None => off(),
            },
            "huawei" => match &self.huawei {
                Some(p) => p.send(&self.http, m).await,
                None => off(),
            },
            _ => off(),
        }
    }

    async fn webhook(&self, m: &Message) -> Outcome {
        let Some((url, secret)) = &self.webhook else { return Outcome::Failed("webhook not configured".into()) };
        let body = match serde_json::to_vec(m) {
            Ok(b) => b,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
            return Outcome::Failed("bad webhook secret".into());
        };
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
        read(sent, |status, retry_after, text| match classify(status, retry_after, text) {
            // The gateway answers JSON; anything else is a gateway in trouble.
            Outcome::Accepted if serde_json::from_str::<serde_json::Value>(text).is_err() => {
                Outcome::Retry { after: None, error: format!("{status}: the gateway's answer is not JSON") }
            }
            other => other,
        })
        .await
    }
}

/// Reads a provider's HTTP answer (status, `Retry-After` seconds, body) with `judge`; a
/// transport failure or timeout is retried.
pub async fn read(
    sent: Result<reqwest::Response, reqwest::Error>,
    judge: impl FnOnce(u16, Option<u64>, &str) -> Outcome,
) -> Outcome {
    match sent {
        Err(e) if e.is_timeout() => Outcome::Retry { after: None, error: "timeout".into() },
        Err(e) => Outcome::Retry { after: None, error: format!("transport: {e}") },
        Ok(r) => {
            let status = r.status().as_u16();
            let retry_after =
                r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
            match r.text().await {
                Ok(text) => judge(status, retry_after, &text),
                Err(e) => Outcome::Retry { after: None, error: format!("{status}: answer cut off: {e}") },
            }
        }
    }
}
