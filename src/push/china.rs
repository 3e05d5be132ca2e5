//! The channels that reach Android phones in China. JPush (极光, an aggregator over the vendor
//! channels): POST `/v3/push` with Basic auth and a `cid` derived from the dedup id — JPush
//! refuses a second push with the same `cid`, so a resend after a crash is not a repeat. Huawei
//! Push Kit (phones without Google services, HarmonyOS): an OAuth client-credentials token,
//! then POST `/v1/{app_id}/messages:send`; its answer code says what happened even on HTTP 200.

use super::oauth::{request, TokenCache};
use super::provider::{read, Message};
use crate::config::{HuaweiSettings, JPushSettings};
use crate::platform::outbox::{classify, Outcome};

pub struct JPush {
    s: JPushSettings,
}

impl JPush {
    pub fn new(s: JPushSettings) -> Self {
        JPush { s }
    }

    pub async fn send(&self, http: &reqwest::Client, m: &Message) -> Outcome {
        let extras = serde_json::json!({"notice_id": m.notice_id, "dedup_id": m.dedup_id});
        let body = serde_json::json!({
            "cid": format!("{}-{}", self.s.app_key, m.dedup_uuid().hyphenated()),
            "platform": "all",
            "audience": {"registration_id": [m.token]},
            "notification": {
                "alert": m.title,
                "android": {"title": m.heading(), "alert": m.title, "priority": if m.urgent() { 2 } else { 0 }, "extras": extras},
                "ios": {"alert": {"title": m.heading(), "body": m.title}, "extras": extras},
            },
            "options": {"time_to_live": 86400, "apns_production": true},
        });
        let sent = http
            .post(format!("{}/v3/push", self.s.url.trim_end_matches('/')))
            .basic_auth(&self.s.app_key, Some(&self.s.master_secret))
            .json(&body)
            .send()
            .await;
        read(sent, |status, after, text| {
            let v: Option<serde_json::Value> = serde_json::from_str(text).ok();
            let code = v.as_ref().and_then(|v| v["error"]["code"].as_i64());
            match (status, code) {
                // 1011: no such registration id (the app was removed or the id is stale).
                (_, Some(1011)) => Outcome::Gone(format!("{status}: JPush 1011 {text}")),
                // A second push with the same cid: the first one went.
                (_, Some(2012)) => Outcome::Accepted,
                (200..=299, _) if v.as_ref().is_none_or(|v| v.get("msg_id").is_none()) => {
                    Outcome::Retry { after: None, error: format!("{status}: unreadable JPush answer") }
                }
                _ => classify(status, after, text),
            }
        })
        .await
    }
}

pub struct Huawei {
    s: HuaweiSettings,
    token: TokenCache,
}

impl Huawei {
    pub fn new(s: HuaweiSettings) -> Self {
        Huawei { s, token: TokenCache::default() }
    }

    pub async fn send(&self, http: &reqwest::Client, m: &Message) -> Outcome {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.s.app_id.as_str()),
            ("client_secret", self.s.client_secret.as_str()),
        ];
        let token = match self.token.get(|| request(http, &self.s.token_url, &form)).await {
            Ok(t) => t,
            Err(e) => return Outcome::Retry { after: None, error: e },
        };
        let body = serde_json::json!({"validate_only": false, "message": {
            "token": [m.token],
            "data": serde_json::json!({"notice_id": m.notice_id, "dedup_id": m.dedup_id}).to_string(),
            "android": {
                "urgency": if m.urgent() { "HIGH" } else { "NORMAL" },
                "bi_tag": m.dedup_id,
                "notification": {"title": m.heading(), "body": m.title, "click_action": {"type": 3}},
            },
        }});
        let url = format!("{}/v1/{}/messages:send", self.s.url.trim_end_matches('/'), self.s.app_id);
        let out = read(http.post(url).bearer_auth(token).json(&body).send().await, |status, after, text| {
            let code = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_string));
            match (status, code.as_deref()) {
                (200, Some("80000000")) => Outcome::Accepted,
                // Every token invalid: the app is gone from that phone.
                (_, Some("80300007")) => Outcome::Gone(format!("{status}: Huawei 80300007 invalid token")),
                // The OAuth token expired: fetch a new one next time.
                (_, Some("80200003")) | (401, _) => {
                    Outcome::Retry { after: None, error: format!("{status}: Huawei token expired") }
                }
                (200, None) => Outcome::Retry { after: None, error: format!("{status}: unreadable Huawei answer") },
                (200, Some(other)) => {
                    Outcome::Failed(format!("{status}: Huawei {other}: {}", text.chars().take(200).collect::<String>()))
                }
                _ => classify(status, after, text),
            }
        })
        .await;
        if matches!(&out, Outcome::Retry { error, .. } if error.contains("token expired")) {
            self.token.forget().await;
        }
        out
    }
}
