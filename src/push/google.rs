//! Firebase Cloud Messaging, HTTP v1 (phones outside China, and Android builds with Google
//! services): a service-account JWT (RS256) exchanged at the account's `token_uri` for an OAuth
//! token, then POST `/v1/projects/{project}/messages:send`. FCM has no dedup id of its own: the
//! dedup id travels as the Android `collapse_key` and in the data, so a resend replaces.

use super::oauth::{request, TokenCache};
use super::provider::{read, Message};
use crate::config::FcmSettings;
use crate::platform::outbox::{classify, Outcome};
use jsonwebtoken::{Algorithm, EncodingKey, Header};

pub struct Fcm {
    s: FcmSettings,
    key: EncodingKey,
    token: TokenCache,
}

#[derive(serde::Serialize)]
struct Assertion<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

impl Fcm {
    pub fn new(s: &FcmSettings) -> Result<Self, String> {
        let key = EncodingKey::from_rsa_pem(s.private_key_pem.as_bytes())
            .map_err(|e| format!("LVZHI_FCM_SERVICE_ACCOUNT_FILE: {e}"))?;
        Ok(Fcm { s: s.clone(), key, token: TokenCache::default() })
    }

    async fn access_token(&self, http: &reqwest::Client) -> Result<String, String> {
        self.token
            .get(|| async {
                let iat = chrono::Utc::now().timestamp();
                let claims = Assertion {
                    iss: &self.s.client_email,
                    scope: "https://www.googleapis.com/auth/firebase.messaging",
                    aud: &self.s.token_uri,
                    iat,
                    exp: iat + 3600,
                };
                let jwt = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
                    .map_err(|e| e.to_string())?;
                request(
                    http,
                    &self.s.token_uri,
                    &[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", &jwt)],
                )
                .await
            })
            .await
    }

    /// Sends over `http2` (the token is fetched over `http`).
    pub async fn send(&self, http: &reqwest::Client, http2: &reqwest::Client, m: &Message) -> Outcome {
        let token = match self.access_token(http).await {
            Ok(t) => t,
            Err(e) => return Outcome::Retry { after: None, error: e },
        };
        let body = serde_json::json!({"message": {
            "token": m.token,
            "notification": {"title": m.heading(), "body": m.title},
            "data": {"notice_id": m.notice_id.to_string(), "dedup_id": m.dedup_id},
            "android": {"collapse_key": m.dedup_id, "priority": if m.urgent() { "HIGH" } else { "NORMAL" }},
        }});
        let url = format!("{}/v1/projects/{}/messages:send", self.s.url.trim_end_matches('/'), self.s.project_id);
        let out =
            read(http2.post(url).bearer_auth(token).json(&body).send().await, |status, after, text| match status {
                401 => Outcome::Retry { after: None, error: "401: the access token was refused".into() },
                _ => classify(status, after, text),
            })
            .await;
        if matches!(&out, Outcome::Retry { error, .. } if error.starts_with("401")) {
            self.token.forget().await;
        }
        out
    }
}
