//! Typed settings read from the environment and validated at start-up. A bad value stops the
//! process with a message naming the variable. Every variable here is listed in docs/CONFIGURATION.md.

mod env;
mod kinds;
mod push;
mod secrets;
use env::Env;
pub use env::{ConfigError, Secret};
pub use kinds::{DatabaseUrl, LogFormat, Rankings};
use push::push_providers;
pub use push::{ApnsSettings, Batch, FcmSettings, HuaweiSettings, JPushSettings, ProviderSettings};

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub redis_url: Option<String>,
    /// Prefix of every Redis key (lets several installations or test runs share one Redis).
    pub redis_prefix: String,
    pub bind: String,
    pub data_dir: PathBuf,
    pub production: bool,
    /// PKCS#8 PEM file of the current Ed25519 signing key; generated under the data dir when unset.
    pub jwt_key_file: Option<PathBuf>,
    /// PEM files of retired keys still accepted for verification until their tokens expire.
    pub jwt_previous_key_files: Vec<PathBuf>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub tz: chrono_tz::Tz,
    pub max_body_bytes: usize,
    pub max_import_bytes: usize,
    /// Days audit rows are kept (at least 183, PIPL).
    pub audit_keep_days: i64,
    /// Days feed events are kept (`LVZHI_FEED_KEEP_DAYS`; at least the audit's, its default).
    pub feed_keep_days: i64,
    pub log_format: LogFormat,
    pub login_rate_per_minute: u64,
    pub db_pool_size: u32,
    /// SQLite's page cache per connection, KiB (`LVZHI_DB_CACHE_KIB`; PostgreSQL ignores it).
    pub db_cache_kib: u32,
    /// How long a request waits for a database connection before 503 `database_unavailable`.
    pub db_wait: std::time::Duration,
    /// The longest a statement may run (PostgreSQL's `statement_timeout` and `lock_timeout`, and
    /// the TCP user timeout of its connections); a request waits at most `db_wait` plus this,
    /// then answers 503 `database_unavailable` (a frozen database answers nothing at all).
    pub db_statement: std::time::Duration,
    /// Record this instance's shared settings even when other instances used others
    /// (`LVZHI_ADOPT_SETTINGS`, see `ops::agreement`).
    pub adopt_settings: bool,
    /// How often an instance with open live streams checks the database for events its bus
    /// did not bring (`LVZHI_LIVE_RECHECK_SECS`).
    pub live_recheck: std::time::Duration,
    /// PostgreSQL writer threads that group small writes into shared commits (SQLite: always 1).
    pub db_writers: usize,
    /// SQLite: short indexed reads run on the HTTP worker when a connection is idle
    /// (`LVZHI_DB_INLINE_READS`, default on; see [`crate::db::read`]). PostgreSQL ignores it.
    pub db_inline_reads: bool,
    /// MiB of rendered per-deputy reads kept in memory (`LVZHI_VIEW_CACHE_MIB`; 0 keeps none).
    pub view_cache_mib: u64,
    /// Where rankings are read from (`LVZHI_RANKINGS`, see [`Rankings`]).
    pub rankings: Rankings,
    /// The generic webhook push gateway: (URL, HMAC secret).
    pub push_webhook: Option<(String, String)>,
    /// Every push provider's settings (the webhook's too).
    pub push: push::ProviderSettings,
    /// Where attachments are stored (`s3://bucket/prefix`, a directory; default: data dir).
    pub storage_url: Option<String>,
    pub max_attachment_bytes: usize,
    /// The SMS gateway (URL, HMAC secret); none: the development provider that only logs.
    pub sms_http: Option<(String, String)>,
    /// Hours before an RSVP deadline when the unread and unanswered are texted.
    pub sms_escalate_hours: i64,
    /// The version of the privacy notice constituents agree to (a new one asks them again).
    pub privacy_notice_version: String,
    /// Where constituents reach our phone pages (`LVZHI_PUBLIC_BASE_URL`, no trailing slash): the
    /// printed QR codes hold `{this}/m/{code}` and texts link to cases under it. None (development
    /// only): the address the request came in on.
    pub public_base_url: Option<String>,
    /// Working days a handling unit has for a forwarded opinion unless staff say otherwise.
    pub opinion_deadline_days: u32,
    /// Months the units have for an assigned suggestion unless staff say otherwise.
    pub suggestion_deadline_months: u32,
    /// Video rooms for online receptions: a URL with `{room}` replaced by a fresh room name
    /// (`None`: online receptions cannot be booked).
    pub video_room_url: Option<String>,
    /// Hours before a confirmed reception when the deputy (a notice, pushed) and the constituent
    /// (SMS) are reminded.
    pub appointment_remind_hours: i64,
    /// Attempts before a push becomes a dead letter.
    pub push_max_attempts: i32,
    /// How long a delivery worker's claim holds a push (a crashed worker's pushes go again after).
    pub push_lease_secs: i64,
    /// Whether this instance delivers pushes (off: it only queues them, for instances that
    /// answer the API while others deliver).
    pub push_delivery: bool,
    /// Days after a seat starts by which a newly seated deputy completes an initial course
    /// (初任培训), for the coverage view.
    pub initial_training_days: i64,
    /// Quiet hours in the congress time zone, when normal pushes wait (`None`: never).
    pub quiet_hours: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
    /// Outbound URLs may point at private or loopback addresses (tests, closed networks).
    /// Hosts outbound URLs may name although they are (or resolve to) private addresses.
    pub outbound_allow: Vec<String>,
    pub workers: usize,
    /// Which reverse proxies are trusted to name the client (`X-Forwarded-For`, read from the right).
    pub trust_proxy: crate::platform::client_ip::TrustProxy,
    pub bench_hello: bool,
    pub argon2_m_cost_kib: u32,
    /// Seconds a QR token stays acceptable after its two windows (phones are slow to open).
    pub qr_grace_secs: i64,
    /// Personal-data keys, `kid:base64,…` (the first seals); generated under the data dir when unset.
    pub pii_keys: Option<Secret>,
    /// Key of the lookup hash of phone numbers (base64, at least 32 bytes).
    pub pii_hash_key: Option<Secret>,
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&|k| std::env::var(k).ok())
    }

    /// Reads settings through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(lookup);
        let err = |var: &'static str, message: String| ConfigError { var, message };
        let data_dir = PathBuf::from(env.get("LVZHI_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match env.get("DATABASE_URL") {
            Some(v) => DatabaseUrl::parse(&v).map_err(|m| err("DATABASE_URL", m))?,
            None => DatabaseUrl::Sqlite(data_dir.join("lvzhi.db")),
        };
        let redis_url = env.get("REDIS_URL");
        if let Some(r) = &redis_url {
            if !(r.starts_with("redis://") || r.starts_with("rediss://") || r.starts_with("unix://")) {
                return Err(err("REDIS_URL", format!("`{r}` must start with redis://, rediss:// or unix://")));
            }
        }
        let production = match env.get("LVZHI_ENV").as_deref() {
            None | Some("development" | "dev" | "test") => false,
            Some("production" | "prod") => true,
            Some(v) => return Err(err("LVZHI_ENV", format!("`{v}` must be development or production"))),
        };
        let jwt_key_file = env.get("LVZHI_JWT_KEY_FILE").map(PathBuf::from);
        if production && jwt_key_file.is_none() {
            return Err(err("LVZHI_JWT_KEY_FILE", "is required when LVZHI_ENV=production".into()));
        }
        let (pii_keys, pii_hash_key) = secrets::pii_keys(&env, production)?;
        let jwt_previous_key_files = env
            .get("LVZHI_JWT_PREVIOUS_KEY_FILES")
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(PathBuf::from).collect())
            .unwrap_or_default();
        let tz_raw = env.get("LVZHI_TZ").unwrap_or_else(|| "Asia/Shanghai".into());
        let tz: chrono_tz::Tz =
            tz_raw.parse().map_err(|_| err("LVZHI_TZ", format!("`{tz_raw}` is not an IANA time zone")))?;
        let bind = env.get("LVZHI_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        if bind.parse::<std::net::SocketAddr>().is_err() && !bind.contains(':') {
            return Err(err("LVZHI_BIND", format!("`{bind}` is not host:port")));
        }
        let (log_format, rankings) = (kinds::log_format(&env)?, kinds::rankings(&env)?);
        if env.get("LVZHI_OUTBOUND_ALLOW_PRIVATE").is_some() {
            return Err(err(
                "LVZHI_OUTBOUND_ALLOW_PRIVATE",
                "is replaced by LVZHI_OUTBOUND_ALLOW: list the private hosts to allow".into(),
            ));
        }
        let outbound_allow: Vec<String> = env
            .get("LVZHI_OUTBOUND_ALLOW")
            .unwrap_or_default()
            .split(',')
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .collect();
        let push_webhook = endpoint(&env, "LVZHI_PUSH_WEBHOOK_URL", "LVZHI_PUSH_WEBHOOK_SECRET", &outbound_allow)?;
        let push = push_providers(&env, push_webhook.clone(), &outbound_allow)?;
        // A claimed push is in flight at most the provider's timeout, and its answer recorded
        // within a moment: a lease shorter than that lets another worker send it a second time.
        let push_lease_secs: i64 = env.positive("LVZHI_PUSH_LEASE_SECS", 120)?;
        let needed = push.timeout + PUSH_LEASE_MARGIN;
        if std::time::Duration::from_secs(push_lease_secs as u64) < needed {
            return Err(err(
                "LVZHI_PUSH_LEASE_SECS",
                format!(
                    "{push_lease_secs} s is shorter than a push can take (LVZHI_PUSH_TIMEOUT_MS plus {} s): at least {} s",
                    PUSH_LEASE_MARGIN.as_secs(),
                    needed.as_secs_f64().ceil()
                ),
            ));
        }
        let sms_http = endpoint(&env, "LVZHI_SMS_URL", "LVZHI_SMS_SECRET", &outbound_allow)?;
        let quiet_hours = kinds::quiet_hours(&env)?;
        let access_ttl_secs: i64 = env.positive("LVZHI_ACCESS_TOKEN_TTL_SECS", 900)?;
        let refresh_ttl_days: i64 = env.positive("LVZHI_REFRESH_TOKEN_TTL_DAYS", 30)?;
        let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let mut settings = Settings {
            database_url,
            redis_url,
            redis_prefix: env.get("LVZHI_REDIS_PREFIX").unwrap_or_else(|| "lvzhi:".into()),
            bind,
            data_dir,
            production,
            jwt_key_file,
            jwt_previous_key_files,
            jwt_issuer: env.get("LVZHI_JWT_ISSUER").unwrap_or_else(|| "lvzhi".into()),
            jwt_audience: env.get("LVZHI_JWT_AUDIENCE").unwrap_or_else(|| "lvzhi-api".into()),
            access_ttl_secs,
            refresh_ttl_secs: refresh_ttl_days * 86_400,
            tz,
            max_body_bytes: env.positive("LVZHI_MAX_BODY_BYTES", 1_048_576)?,
            max_import_bytes: env.positive("LVZHI_MAX_IMPORT_BYTES", 20 * 1_048_576)?,
            audit_keep_days: match env.positive("LVZHI_AUDIT_KEEP_DAYS", 1095i64)? {
                d if d >= 183 => d,
                d => {
                    return Err(err(
                        "LVZHI_AUDIT_KEEP_DAYS",
                        format!("{d} days: audit rows are kept at least 183 days"),
                    ))
                }
            },
            feed_keep_days: 0,
            log_format,
            login_rate_per_minute: env.positive("LVZHI_LOGIN_RATE_PER_MINUTE", 30)?,
            // Two per core for reads plus room for the (PostgreSQL) writer threads: more only adds
            // database processes competing for the same cores (measured on 2 cores, PostgreSQL:
            // inbox p99 at 64 clients 15.9 ms with 4, 19.2 ms with 8, 21.8 ms with 16).
            db_pool_size: env.positive("LVZHI_DB_POOL_SIZE", 2 * cpus as u32 + 4)?,
            db_cache_kib: env.positive("LVZHI_DB_CACHE_KIB", crate::db::DEFAULT_CACHE_KIB)?,
            db_wait: std::time::Duration::from_millis(env.positive("LVZHI_DB_WAIT_MS", 5000u64)?),
            db_statement: std::time::Duration::from_millis(env.positive("LVZHI_DB_STATEMENT_MS", 30_000u64)?),
            live_recheck: std::time::Duration::from_secs(env.positive("LVZHI_LIVE_RECHECK_SECS", 30u64)?),
            adopt_settings: env.flag("LVZHI_ADOPT_SETTINGS")?,
            // One per core: on 2 cores, 2 writers applied 0.64 of the INSERT ceiling in check-ins
            // and 0.40–0.44 in awards; 3 gave 0.34 / 0.35, 4 gave 0.48 / 0.29 (more concurrent
            // batches compete for the same cores and queue on the same chain heads).
            db_writers: env.positive("LVZHI_DB_WRITERS", cpus)?,
            db_inline_reads: env.flag_or("LVZHI_DB_INLINE_READS", true)?,
            view_cache_mib: env.parse("LVZHI_VIEW_CACHE_MIB", 16u64)?,
            rankings,
            push_webhook,
            push,
            storage_url: env.get("LVZHI_STORAGE_URL"),
            max_attachment_bytes: env.positive("LVZHI_MAX_ATTACHMENT_BYTES", 20 * 1_048_576)?,
            sms_http,
            sms_escalate_hours: env.positive("LVZHI_SMS_ESCALATE_HOURS", 24)?,
            privacy_notice_version: env.get("LVZHI_PRIVACY_NOTICE_VERSION").unwrap_or_else(|| "2026-11".into()),
            public_base_url: kinds::public_base_url(env.get("LVZHI_PUBLIC_BASE_URL"), production)?,
            opinion_deadline_days: env.positive("LVZHI_OPINION_DEADLINE_DAYS", 15)?,
            suggestion_deadline_months: env.positive("LVZHI_SUGGESTION_DEADLINE_MONTHS", 3)?,
            video_room_url: match env.get("LVZHI_VIDEO_ROOM_URL") {
                Some(u) if !u.starts_with("https://") || !u.contains("{room}") => {
                    return Err(ConfigError {
                        var: "LVZHI_VIDEO_ROOM_URL",
                        message: "an https URL containing {room}".into(),
                    })
                }
                u => u,
            },
            appointment_remind_hours: env.positive("LVZHI_APPOINTMENT_REMIND_HOURS", 2)?,
            push_max_attempts: env.positive("LVZHI_PUSH_MAX_ATTEMPTS", 8)?,
            push_lease_secs,
            push_delivery: env.flag_or("LVZHI_PUSH_DELIVERY", true)?,
            quiet_hours,
            initial_training_days: env.positive("LVZHI_INITIAL_TRAINING_DAYS", 365)?,
            outbound_allow,
            workers: env.positive("LVZHI_WORKERS", cpus)?,
            trust_proxy: crate::platform::client_ip::TrustProxy::parse(
                env.get("LVZHI_TRUST_PROXY_CIDRS").as_deref(),
                env.get("LVZHI_TRUST_PROXY_HOPS").as_deref(),
                env.flag("LVZHI_TRUST_PROXY")?,
            )
            .map_err(|message| ConfigError { var: "LVZHI_TRUST_PROXY_CIDRS", message })?,
            bench_hello: env.flag("LVZHI_BENCH_HELLO")?,
            argon2_m_cost_kib: env.positive("LVZHI_ARGON2_MEMORY_KIB", 19_456)?,
            qr_grace_secs: env.parse("LVZHI_QR_GRACE_SECS", 20)?,
            pii_keys,
            pii_hash_key,
        };
        settings.feed_keep_days = match env.positive("LVZHI_FEED_KEEP_DAYS", settings.audit_keep_days)? {
            d if d >= settings.audit_keep_days => d,
            d => {
                return Err(err(
                    "LVZHI_FEED_KEEP_DAYS",
                    format!("{d} days: feed events are kept at least as long as audit rows"),
                ))
            }
        };
        Ok(settings)
    }
}

pub use crate::platform::outbound::check_url as outbound_url;

/// How long a claimed push may take beyond the provider's timeout (recording its answer): the
/// lease of a claim must cover both.
pub const PUSH_LEASE_MARGIN: std::time::Duration = std::time::Duration::from_secs(2);

#[cfg(test)]
mod tests;

/// An outbound endpoint given by a URL variable and its secret: both or neither, the URL allowed
/// by the outbound rules.
fn endpoint(
    env: &Env,
    url: &'static str,
    secret: &'static str,
    allow: &[String],
) -> Result<Option<(String, String)>, ConfigError> {
    match (env.get(url), env.get(secret)) {
        (None, _) => Ok(None),
        (Some(_), None) => Err(ConfigError { var: secret, message: format!("is required with {url}") }),
        (Some(u), Some(s)) => {
            outbound_url(&u, allow).map_err(|m| ConfigError { var: url, message: m })?;
            Ok(Some((u, s)))
        }
    }
}
