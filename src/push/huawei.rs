//! Huawei Push Kit (phones without Google services, HarmonyOS): an OAuth client-credentials
//! token, then POST `/v1/{app_id}/messages:send` with up to 1,000 tokens of the same notice in
//! one message. Its answer code says what happened even on HTTP 200: 80000000 all sent,
//! 80100000 some sent (the rest listed in `illegal_tokens`: dead), 80300007 every token dead.

use super::oauth::{request, TokenCache};
use super::provider::{read, Message};
use crate::config::HuaweiSettings;
use crate::platform::outbox::{classify, Outcome};

pub struct Huawei {
    s: HuaweiSettings,
    token: TokenCache,
}

/// The answer for every token, or the tokens it named invalid (the others were sent).
enum Answer {
    All(Outcome),
    Partly(Vec<String>),
}

impl Huawei {
    pub fn new(s: HuaweiSettings) -> Self {
        Huawei { s, token: TokenCache::default() }
    }

    /// Sends one notice to these devices (all saying the same) in one message: one outcome
    /// per message, in order.
    pub async fn send(&self, http: &reqwest::Client, ms: &[&Message]) -> Vec<Outcome> {
        let Some(m) = ms.first() else { return vec![] };
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.s.app_id.as_str()),
            ("client_secret", self.s.client_secret.as_str()),
        ];
        let token = match self.token.get(|| request(http, &self.s.token_url, &form)).await {
            Ok(t) => t,
            Err(e) => return vec![Outcome::Retry { after: None, error: e }; ms.len()],
        };
        let tokens: Vec<&str> = ms.iter().map(|m| m.token.as_str()).collect();
        // One push: its dedup id as the tag and in the data (as before batches); many: a tag of theirs.
        let (data, tag) = match ms.len() {
            1 => (serde_json::json!({"notice_id": m.notice_id, "dedup_id": m.dedup_id}), m.dedup_id.clone()),
            _ => (
                serde_json::json!({"notice_id": m.notice_id}),
                super::rules::batch_uuid(ms.iter().map(|m| m.dedup_id.as_str())).simple().to_string(),
            ),
        };
        let body = serde_json::json!({"validate_only": false, "message": {
            "token": tokens,
            "data": data.to_string(),
            "android": {
                "urgency": if m.urgent() { "HIGH" } else { "NORMAL" },
                "bi_tag": tag,
                "notification": {"title": m.heading(), "body": m.title, "click_action": {"type": 3}},
            },
        }});
        let url = format!("{}/v1/{}/messages:send", self.s.url.trim_end_matches('/'), self.s.app_id);
        let answer = read_answer(http.post(url).bearer_auth(token).json(&body).send().await).await;
        match answer {
            Answer::All(out) => {
                if matches!(&out, Outcome::Retry { error, .. } if error.contains("token expired")) {
                    self.token.forget().await;
                }
                vec![out; ms.len()]
            }
            Answer::Partly(dead) => ms
                .iter()
                .map(|m| match dead.contains(&m.token) {
                    true => Outcome::Gone("200: Huawei 80100000 illegal token".into()),
                    false => Outcome::Accepted,
                })
                .collect(),
        }
    }
}

async fn read_answer(sent: Result<reqwest::Response, reqwest::Error>) -> Answer {
    let mut partly = None;
    let out = read(sent, |status, after, text| {
        let v = serde_json::from_str::<serde_json::Value>(text).ok();
        let code = v.as_ref().and_then(|v| v["code"].as_str().map(str::to_string));
        match (status, code.as_deref()) {
            (200, Some("80000000")) => Outcome::Accepted,
            // Some tokens invalid: `msg` is JSON naming them.
            (200, Some("80100000")) => {
                let msg = v.as_ref().and_then(|v| v["msg"].as_str()).unwrap_or("");
                let listed = serde_json::from_str::<serde_json::Value>(msg).ok().and_then(|m| {
                    m["illegal_tokens"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|t| t.as_str().map(String::from)).collect())
                });
                partly = listed;
                match partly {
                    Some(_) => Outcome::Accepted,
                    None => {
                        Outcome::Retry { after: None, error: format!("{status}: unreadable Huawei partial answer") }
                    }
                }
            }
            // Every token invalid: the app is gone from those phones.
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
    match partly {
        Some(dead) => Answer::Partly(dead),
        None => Answer::All(out),
    }
}
