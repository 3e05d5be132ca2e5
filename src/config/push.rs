//! The push providers' settings, read from the environment at start-up (the `push` capability
//! builds its clients from them).

use super::env::Env;
use super::{outbound_url, ConfigError};
use std::time::Duration;

/// How to reach each provider (from the environment; see docs/CONFIGURATION.md).
#[derive(Debug, Clone, Default)]
pub struct ProviderSettings {
    pub webhook: Option<(String, String)>,
    pub apns: Option<ApnsSettings>,
    pub fcm: Option<FcmSettings>,
    pub jpush: Option<JPushSettings>,
    pub huawei: Option<HuaweiSettings>,
    pub timeout: Duration,
    /// Pushes one request carries, per provider that takes many (1: one by one).
    pub batch: Batch,
    /// Requests in flight at once on the one HTTP/2 connection to APNs and to FCM
    /// (`LVZHI_PUSH_HTTP2_IN_FLIGHT`).
    pub http2_in_flight: usize,
    /// Private hosts outbound calls may reach (`LVZHI_OUTBOUND_ALLOW`).
    pub allow: Vec<String>,
}

/// Pushes one request carries: the webhook gateway's batch mode (`LVZHI_PUSH_WEBHOOK_BATCH`,
/// off by default), JPush's registration ids and Huawei's tokens per message (both at most
/// 1,000, their documented limit).
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    pub webhook: usize,
    pub jpush: usize,
    pub huawei: usize,
}

impl Default for Batch {
    fn default() -> Self {
        Batch { webhook: 1, jpush: 1000, huawei: 1000 }
    }
}

#[derive(Debug, Clone)]
pub struct ApnsSettings {
    /// https://api.push.apple.com (or the sandbox, or a test's fake).
    pub url: String,
    pub key_pem: String,
    pub key_id: String,
    pub team_id: String,
    /// The app's bundle id.
    pub topic: String,
}

#[derive(Debug, Clone)]
pub struct FcmSettings {
    /// https://fcm.googleapis.com (or a test's fake).
    pub url: String,
    pub project_id: String,
    pub client_email: String,
    pub private_key_pem: String,
    pub token_uri: String,
}

impl FcmSettings {
    /// From a service-account JSON file's text.
    pub fn from_service_account(json: &str, url: String) -> Result<Self, String> {
        let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let field =
            |k: &str| v[k].as_str().map(str::to_string).ok_or_else(|| format!("the service account has no `{k}`"));
        Ok(FcmSettings {
            url,
            project_id: field("project_id")?,
            client_email: field("client_email")?,
            private_key_pem: field("private_key")?,
            token_uri: field("token_uri")?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct JPushSettings {
    /// https://api.jpush.cn (or a test's fake).
    pub url: String,
    pub app_key: String,
    pub master_secret: String,
}

#[derive(Debug, Clone)]
pub struct HuaweiSettings {
    /// https://push-api.cloud.huawei.com (or a test's fake).
    pub url: String,
    /// https://oauth-login.cloud.huawei.com/oauth2/v3/token
    pub token_url: String,
    pub app_id: String,
    pub client_secret: String,
}

/// The push providers' settings: each is configured when its first variable is set, and then
/// needs the rest. Key files are read here, so a bad path fails at start-up.
pub(super) fn push_providers(
    env: &Env,
    webhook: Option<(String, String)>,
    allow: &[String],
) -> Result<ProviderSettings, ConfigError> {
    let need = |var: &'static str| {
        env.get(var).ok_or(ConfigError { var, message: "is required with the provider's other settings".into() })
    };
    let url = |var: &'static str, default: &str| -> Result<String, ConfigError> {
        let u = env.get(var).unwrap_or_else(|| default.to_string());
        outbound_url(&u, allow).map_err(|message| ConfigError { var, message })?;
        Ok(u)
    };
    let read = |var: &'static str, path: String| {
        std::fs::read_to_string(&path).map_err(|e| ConfigError { var, message: format!("{path}: {e}") })
    };
    let apns = match env.get("LVZHI_APNS_KEY_FILE") {
        None => None,
        Some(path) => Some(ApnsSettings {
            key_pem: read("LVZHI_APNS_KEY_FILE", path)?,
            key_id: need("LVZHI_APNS_KEY_ID")?,
            team_id: need("LVZHI_APNS_TEAM_ID")?,
            topic: need("LVZHI_APNS_TOPIC")?,
            url: url("LVZHI_APNS_URL", "https://api.push.apple.com")?,
        }),
    };
    let fcm = match env.get("LVZHI_FCM_SERVICE_ACCOUNT_FILE") {
        None => None,
        Some(path) => {
            let text = read("LVZHI_FCM_SERVICE_ACCOUNT_FILE", path)?;
            let s = FcmSettings::from_service_account(&text, url("LVZHI_FCM_URL", "https://fcm.googleapis.com")?)
                .map_err(|message| ConfigError { var: "LVZHI_FCM_SERVICE_ACCOUNT_FILE", message })?;
            outbound_url(&s.token_uri, allow)
                .map_err(|message| ConfigError { var: "LVZHI_FCM_SERVICE_ACCOUNT_FILE", message })?;
            Some(s)
        }
    };
    let jpush = match env.get("LVZHI_JPUSH_APP_KEY") {
        None => None,
        Some(app_key) => Some(JPushSettings {
            app_key,
            master_secret: need("LVZHI_JPUSH_MASTER_SECRET")?,
            url: url("LVZHI_JPUSH_URL", "https://api.jpush.cn")?,
        }),
    };
    let huawei = match env.get("LVZHI_HUAWEI_APP_ID") {
        None => None,
        Some(app_id) => Some(HuaweiSettings {
            app_id,
            client_secret: need("LVZHI_HUAWEI_CLIENT_SECRET")?,
            url: url("LVZHI_HUAWEI_URL", "https://push-api.cloud.huawei.com")?,
            token_url: url("LVZHI_HUAWEI_TOKEN_URL", "https://oauth-login.cloud.huawei.com/oauth2/v3/token")?,
        }),
    };
    let timeout = std::time::Duration::from_millis(env.positive("LVZHI_PUSH_TIMEOUT_MS", 10_000u64)?);
    let upto = |var: &'static str, default: usize| -> Result<usize, ConfigError> {
        match env.positive(var, default)? {
            n if n <= 1000 => Ok(n),
            n => Err(ConfigError { var, message: format!("{n} is more than a request may carry (at most 1000)") }),
        }
    };
    let d = Batch::default();
    let batch = Batch {
        webhook: upto("LVZHI_PUSH_WEBHOOK_BATCH", d.webhook)?,
        jpush: upto("LVZHI_JPUSH_BATCH", d.jpush)?,
        huawei: upto("LVZHI_HUAWEI_BATCH", d.huawei)?,
    };
    // APNs allows a connection 1,000 concurrent streams (it says so in its SETTINGS frame).
    let http2_in_flight = match env.positive("LVZHI_PUSH_HTTP2_IN_FLIGHT", 200usize)? {
        n if n <= 1000 => n,
        n => {
            let message = format!("{n} is more than one connection carries (at most 1000)");
            return Err(ConfigError { var: "LVZHI_PUSH_HTTP2_IN_FLIGHT", message });
        }
    };
    Ok(ProviderSettings { webhook, apns, fcm, jpush, huawei, timeout, batch, http2_in_flight, allow: allow.to_vec() })
}
