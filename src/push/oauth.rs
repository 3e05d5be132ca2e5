//! An OAuth access token shared by a provider's concurrent sends: fetched once, reused until a
//! minute before it expires, dropped when the provider says it is no longer good.

use std::time::{Duration, Instant};
use tokio::sync::Mutex;

#[derive(Default)]
pub struct TokenCache(Mutex<Option<(String, Instant)>>);

/// An access token answer: `{"access_token": …, "expires_in": seconds}`.
#[derive(serde::Deserialize)]
pub struct Granted {
    pub access_token: String,
    #[serde(default = "hour")]
    pub expires_in: u64,
}

fn hour() -> u64 {
    3600
}

impl TokenCache {
    /// The cached token, or a new one from `fetch` (one fetch at a time).
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<String, String>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Granted, String>>,
    {
        let mut t = self.0.lock().await;
        if let Some((tok, until)) = t.as_ref() {
            if Instant::now() < *until {
                return Ok(tok.clone());
            }
        }
        let g = fetch().await?;
        let until = Instant::now() + Duration::from_secs(g.expires_in.saturating_sub(60).max(30));
        *t = Some((g.access_token.clone(), until));
        Ok(g.access_token)
    }

    pub async fn forget(&self) {
        *self.0.lock().await = None;
    }
}

/// Posts a token request form and reads the grant.
pub async fn request(http: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> Result<Granted, String> {
    let r = http.post(url).form(form).send().await.map_err(|e| format!("token endpoint: {e}"))?;
    let status = r.status();
    let text = r.text().await.map_err(|e| format!("token endpoint: {e}"))?;
    if !status.is_success() {
        return Err(format!("token endpoint answered {status}: {}", text.chars().take(200).collect::<String>()));
    }
    serde_json::from_str(&text).map_err(|e| format!("token endpoint answer: {e}"))
}
