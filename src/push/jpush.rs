//! JPush (极光, an aggregator over the Android vendor channels): POST `/v3/push` with Basic
//! auth. One request carries up to 1,000 registration ids of the same notice; its `cid` is
//! derived from the dedup ids it carries, and JPush refuses a second push with the same `cid`,
//! so a resend of the same pushes after a crash is not a repeat. JPush answers for the request
//! as a whole (1011: none of its registration ids is known any more).

use super::provider::{read, Message};
use crate::config::JPushSettings;
use crate::platform::outbox::{classify, Outcome};

pub struct JPush {
    s: JPushSettings,
}

impl JPush {
    pub fn new(s: JPushSettings) -> Self {
        JPush { s }
    }

    /// Sends one notice to these devices (all saying the same) in one request: one outcome
    /// per message, in order.
    pub async fn send(&self, http: &reqwest::Client, ms: &[&Message]) -> Vec<Outcome> {
        let Some(m) = ms.first() else { return vec![] };
        let tokens: Vec<&str> = ms.iter().map(|m| m.token.as_str()).collect();
        let mut extras = serde_json::json!({"notice_id": m.notice_id});
        if ms.len() == 1 {
            extras["dedup_id"] = m.dedup_id.clone().into();
        }
        let body = serde_json::json!({
            "cid": format!("{}-{}", self.s.app_key, super::rules::batch_uuid(ms.iter().map(|m| m.dedup_id.as_str())).hyphenated()),
            "platform": "all",
            "audience": {"registration_id": tokens},
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
        let out = read(sent, |status, after, text| {
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
        .await;
        vec![out; ms.len()]
    }
}
