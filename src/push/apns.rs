//! Apple Push Notification service, token-based: an ES256 JWT (`iss` = team, `kid` = key id)
//! signed with the `.p8` key, reused for 50 minutes (Apple refuses tokens refreshed more than
//! once in 20 minutes and older than an hour); HTTP/2 POST `/3/device/{token}` with `apns-id`
//! derived from the dedup id and `apns-collapse-id` = the dedup id, so a resend replaces rather
//! than repeats.

use super::provider::{read, Message};
use crate::config::ApnsSettings;
use crate::platform::outbox::{classify, Outcome};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use std::sync::Mutex;

pub struct Apns {
    s: ApnsSettings,
    key: EncodingKey,
    /// (JWT, issued at, Unix seconds).
    token: Mutex<Option<(String, i64)>>,
}

const TOKEN_SECS: i64 = 50 * 60;

#[derive(serde::Serialize)]
struct Claims<'a> {
    iss: &'a str,
    iat: i64,
}

impl Apns {
    pub fn new(s: &ApnsSettings) -> Result<Self, String> {
        let key = EncodingKey::from_ec_pem(s.key_pem.as_bytes()).map_err(|e| format!("LVZHI_APNS_KEY_FILE: {e}"))?;
        Ok(Apns { s: s.clone(), key, token: Mutex::new(None) })
    }

    /// The provider token, signed again when it is 50 minutes old (or after Apple refused it).
    fn bearer(&self, fresh: bool) -> Result<String, String> {
        let now = chrono::Utc::now().timestamp();
        let mut t = self.token.lock().map_err(|_| "APNs token lock poisoned".to_string())?;
        if let Some((jwt, iat)) = t.as_ref() {
            if !fresh && now - iat < TOKEN_SECS {
                return Ok(jwt.clone());
            }
        }
        let mut h = Header::new(Algorithm::ES256);
        h.kid = Some(self.s.key_id.clone());
        let jwt = jsonwebtoken::encode(&h, &Claims { iss: &self.s.team_id, iat: now }, &self.key)
            .map_err(|e| e.to_string())?;
        *t = Some((jwt.clone(), now));
        Ok(jwt)
    }

    pub async fn send(&self, http: &reqwest::Client, m: &Message) -> Outcome {
        let mut out = self.attempt(http, m, false).await;
        // An expired or refused provider token: sign a new one and try once more.
        if matches!(&out, Outcome::Failed(e) if e.contains("ExpiredProviderToken") || e.contains("InvalidProviderToken"))
        {
            out = self.attempt(http, m, true).await;
        }
        out
    }

    async fn attempt(&self, http: &reqwest::Client, m: &Message, fresh: bool) -> Outcome {
        let jwt = match self.bearer(fresh) {
            Ok(j) => j,
            Err(e) => return Outcome::Failed(e),
        };
        let body = serde_json::json!({
            "aps": {"alert": {"title": m.heading(), "body": m.title}, "sound": "default"},
            "notice_id": m.notice_id,
            "dedup_id": m.dedup_id,
        });
        let sent = http
            .post(format!("{}/3/device/{}", self.s.url.trim_end_matches('/'), m.token))
            .bearer_auth(jwt)
            .header("apns-topic", &self.s.topic)
            .header("apns-push-type", "alert")
            .header("apns-priority", if m.urgent() { "10" } else { "5" })
            .header("apns-id", m.dedup_uuid().hyphenated().to_string())
            .header("apns-collapse-id", &m.dedup_id)
            .json(&body)
            .send()
            .await;
        read(sent, |status, after, text| {
            let reason = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v["reason"].as_str().map(str::to_string))
                .unwrap_or_default();
            match (status, reason.as_str()) {
                (400, "BadDeviceToken" | "DeviceTokenNotForTopic") => Outcome::Gone(format!("{status}: {reason}")),
                (403, "ExpiredProviderToken" | "InvalidProviderToken") => {
                    Outcome::Failed(format!("{status}: {reason}"))
                }
                _ => classify(status, after, text),
            }
        })
        .await
    }
}
