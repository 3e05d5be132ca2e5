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
