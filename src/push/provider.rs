//! Push providers behind one interface: `webhook` (an HMAC-signed JSON body to a gateway — a
//! relay, or a test's fake), `apns` (token-based auth, ES256 JWT refreshed), `fcm` (HTTP v1,
//! service-account JWT exchanged for an OAuth token), `jpush` (with its `cid` against repeats)
//! and `huawei` (Push Kit, OAuth client credentials). JPush and Huawei take one notice to up to
//! 1,000 devices in a request, the webhook gateway a batch of pushes in its batch mode; each
//! push's answer is read from the request's. Every send carries the outbox row's stable dedup
//! id; every answer is read into one [`Outcome`] per push. A provider that is not configured
//! turns its pushes into dead letters that say so.

use super::{apns, google, huawei, jpush, webhook};
use crate::config::{Batch, ProviderSettings};
use crate::platform::outbox::Outcome;
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
    /// A UUID derived from the dedup id (APNs `apns-id`): the same for every resend.
    pub fn dedup_uuid(&self) -> uuid::Uuid {
        super::rules::batch_uuid(std::iter::once(self.dedup_id.as_str()))
    }
}

#[derive(Clone)]
pub struct Providers {
    http: reqwest::Client,
    /// APNs and FCM: one HTTP/2 connection, many requests in flight on it.
    http2: reqwest::Client,
    http2_in_flight: usize,
    webhook: Option<Arc<webhook::Webhook>>,
    apns: Option<Arc<apns::Apns>>,
    fcm: Option<Arc<google::Fcm>>,
    jpush: Option<Arc<jpush::JPush>>,
    huawei: Option<Arc<huawei::Huawei>>,
    batch: Batch,
}

/// Requests in flight at once to a provider spoken to over HTTP/1.1 (each a connection).
const IN_FLIGHT: usize = 64;

/// Every provider name a device may register with.
pub const PROVIDERS: [&str; 5] = ["webhook", "apns", "fcm", "jpush", "huawei"];

impl Providers {
    pub fn new(s: &ProviderSettings) -> Result<Self, String> {
        let http = crate::platform::outbound::client(&s.allow, s.timeout)?;
        let http2 = crate::platform::outbound::client_http2(&s.allow, s.timeout)?;
        Ok(Providers {
            http,
            http2,
            http2_in_flight: s.http2_in_flight,
            webhook: s.webhook.clone().map(|(url, secret)| Arc::new(webhook::Webhook::new(url, secret))),
            apns: s.apns.as_ref().map(apns::Apns::new).transpose()?.map(Arc::new),
            fcm: s.fcm.as_ref().map(google::Fcm::new).transpose()?.map(Arc::new),
            jpush: s.jpush.clone().map(|c| Arc::new(jpush::JPush::new(c))),
            huawei: s.huawei.clone().map(|c| Arc::new(huawei::Huawei::new(c))),
            batch: s.batch,
        })
    }

    /// How many requests to `provider` are in flight at once: many on APNs' and FCM's one HTTP/2
    /// connection, [`IN_FLIGHT`] (connections) to the others.
    pub fn in_flight(&self, provider: &str) -> usize {
        match provider {
            "apns" | "fcm" => self.http2_in_flight,
            _ => IN_FLIGHT,
        }
    }

    /// How many pushes one request to `provider` carries (1: one by one), and whether they
    /// must say the same (one notice to many devices) to share it.
    pub fn batch(&self, provider: &str) -> (usize, bool) {
        match provider {
            "webhook" if self.webhook.is_some() => (self.batch.webhook, false),
            "jpush" if self.jpush.is_some() => (self.batch.jpush, true),
            "huawei" if self.huawei.is_some() => (self.batch.huawei, true),
            _ => (1, false),
        }
    }

    /// Sends pushes of one provider in one request (as [`Self::batch`] allows; one by one
    /// otherwise): one outcome per message, in order.
    pub async fn send_many(&self, provider: &str, ms: &[&Message]) -> Vec<Outcome> {
        let outs = match (provider, ms, &self.webhook, &self.jpush, &self.huawei) {
            (_, [m], ..) => vec![self.send(provider, m).await],
            ("webhook", _, Some(w), _, _) => w.send_many(&self.http, ms).await,
            ("jpush", _, _, Some(p), _) => p.send(&self.http, ms).await,
            ("huawei", _, _, _, Some(p)) => p.send(&self.http, ms).await,
            _ => futures_util::future::join_all(ms.iter().map(|m| self.send(provider, m))).await,
        };
        match outs.len() == ms.len() {
            true => outs,
            false => {
                vec![Outcome::Retry { after: None, error: "the provider answered for other pushes".into() }; ms.len()]
            }
        }
    }

    pub async fn send(&self, provider: &str, m: &Message) -> Outcome {
        let off = || Outcome::Failed(format!("provider `{provider}` is not configured on this installation"));
        let one = |mut v: Vec<Outcome>| v.pop().unwrap_or_else(|| Outcome::Failed("no answer".into()));
        match provider {
            "webhook" => match &self.webhook {
                Some(w) => w.send(&self.http, m).await,
                None => off(),
            },
            "apns" => match &self.apns {
                Some(p) => p.send(&self.http2, m).await,
                None => off(),
            },
            "fcm" => match &self.fcm {
                Some(p) => p.send(&self.http, &self.http2, m).await,
                None => off(),
            },
            "jpush" => match &self.jpush {
                Some(p) => one(p.send(&self.http, &[m]).await),
                None => off(),
            },
            "huawei" => match &self.huawei {
                Some(p) => one(p.send(&self.http, &[m]).await),
                None => off(),
            },
            _ => off(),
        }
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
        Err(e) => {
            Outcome::Retry { after: None, error: format!("transport: {}", crate::platform::outbound::describe(&e)) }
        }
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
