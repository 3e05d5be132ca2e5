//! The enumerated settings: which database, where rankings are read from, the log format.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("must not be empty".into());
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_string()));
        }
        let path = raw.strip_prefix("sqlite://").or_else(|| raw.strip_prefix("sqlite:")).unwrap_or(raw);
        if path.contains("://") {
            return Err(format!("unsupported scheme in `{raw}` (use postgres://, sqlite:// or a file path)"));
        }
        if path.is_empty() {
            return Err("sqlite path must not be empty".into());
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DatabaseUrl::Postgres(_))
    }
}

/// Where rankings are read from. Every source answers the same; they differ in cost. Whichever
/// is chosen, SQL counts the scope while a year's leaderboard or tables are being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rankings {
    /// Sorted-set leaderboards: in Redis when configured, in process otherwise (the default).
    SortedSets,
    /// Tables kept in the database: each deputy's total per scope and per scope a count of each
    /// total, so a place is a sum over a few hundred totals. No memory; extra writes per award.
    Sql,
    /// Always count the scope in SQL (nothing kept; grows with the scope).
    SqlScan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// `LVZHI_LOG_FORMAT`: text (the default) or json.
pub fn log_format(env: &super::Env) -> Result<LogFormat, super::ConfigError> {
    Ok(match env.get("LVZHI_LOG_FORMAT").as_deref() {
        None | Some("text") => LogFormat::Text,
        Some("json") => LogFormat::Json,
        Some(v) => {
            return Err(super::ConfigError { var: "LVZHI_LOG_FORMAT", message: format!("`{v}` must be text or json") })
        }
    })
}

/// `LVZHI_RANKINGS`: sorted_sets (the default), sql or sql_scan.
pub fn rankings(env: &super::Env) -> Result<Rankings, super::ConfigError> {
    Ok(match env.get("LVZHI_RANKINGS").as_deref() {
        None | Some("sorted_sets") => Rankings::SortedSets,
        Some("sql") => Rankings::Sql,
        Some("sql_scan") => Rankings::SqlScan,
        Some(v) => {
            return Err(super::ConfigError {
                var: "LVZHI_RANKINGS",
                message: format!("`{v}` must be sorted_sets, sql or sql_scan"),
            })
        }
    })
}

/// `LVZHI_QUIET_HOURS`: `HH:MM-HH:MM` (default 22:00-07:00), or `off`.
pub fn quiet_hours(env: &super::Env) -> Result<Option<(chrono::NaiveTime, chrono::NaiveTime)>, super::ConfigError> {
    Ok(match env.get("LVZHI_QUIET_HOURS").as_deref() {
        Some("off") => None,
        raw => {
            let raw = raw.unwrap_or("22:00-07:00");
            let parsed = raw.split_once('-').and_then(|(a, b)| {
                Some((
                    chrono::NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?,
                    chrono::NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?,
                ))
            });
            Some(parsed.ok_or_else(|| super::ConfigError {
                var: "LVZHI_QUIET_HOURS",
                message: format!("`{raw}` must be HH:MM-HH:MM or off"),
            })?)
        }
    })
}

/// `LVZHI_PUBLIC_BASE_URL`: an http(s) URL without query or fragment; https and required in
/// production (a printed code must not send people to a page others can read or change).
pub fn public_base_url(raw: Option<String>, production: bool) -> Result<Option<String>, super::ConfigError> {
    let bad = |m: &str| super::ConfigError { var: "LVZHI_PUBLIC_BASE_URL", message: m.into() };
    let Some(raw) = raw.map(|s| s.trim().trim_end_matches('/').to_string()).filter(|s| !s.is_empty()) else {
        return if production { Err(bad("is required when LVZHI_ENV=production (an https URL)")) } else { Ok(None) };
    };
    let u = url::Url::parse(&raw).map_err(|_| bad("must be an absolute URL such as https://rd.example.gov.cn"))?;
    if !matches!(u.scheme(), "http" | "https")
        || u.host_str().is_none()
        || u.query().is_some()
        || u.fragment().is_some()
    {
        return Err(bad("must be an http(s) URL without query or fragment"));
    }
    if production && u.scheme() != "https" {
        return Err(bad("must be https when LVZHI_ENV=production"));
    }
    Ok(Some(raw))
}
