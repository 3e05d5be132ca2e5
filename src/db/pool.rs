//! Connecting: the pool with its SQLite pragmas and PostgreSQL limits, and the embedded
//! per-backend migrations.

use super::{checkout, sqlite, AnyConnection, DbPool};
use crate::config::DatabaseUrl;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{CustomizeConnection, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Sets the SQLite pragmas on every new connection (no-op on PostgreSQL). `temp_store = MEMORY`
/// keeps the statement journal of multi-row statements off the disk (it was a temp file created
/// and deleted per statement); `cache_size` is in KiB when negative.
#[derive(Debug)]
struct Pragmas {
    /// Page cache per connection, KiB (`LVZHI_DB_CACHE_KIB`).
    cache_kib: u32,
}

impl CustomizeConnection<AnyConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut AnyConnection) -> Result<(), diesel::r2d2::Error> {
        if let AnyConnection::Sqlite(c) = conn {
            c.batch_execute(&format!(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{};",
                self.cache_kib
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// SQLite's page cache per connection when no setting says otherwise, KiB: SQLite's own default.
/// The OS page cache stands behind it; 16 MB per connection (the earlier value) held ~140 MB of
/// heap under read load at no measurable gain in check-ins or inbox reads (docs/PERFORMANCE.md).
pub const DEFAULT_CACHE_KIB: u32 = 2_000;

/// The URL diesel understands for this database.
pub fn connection_string(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Postgres(u) => u.clone(),
        DatabaseUrl::Sqlite(p) => p.to_string_lossy().into_owned(),
    }
}

pub fn build_pool(url: &DatabaseUrl, size: u32) -> Result<DbPool, String> {
    build_pool_waiting(url, size, std::time::Duration::from_secs(5), DEFAULT_CACHE_KIB, None)
}

/// A PostgreSQL URL with the server's limits for its sessions (`statement`: `statement_timeout`
/// and `lock_timeout`, and twice that for `idle_in_transaction_session_timeout`) and TCP
/// settings that notice a dead or unreachable server (keepalives, `tcp_user_timeout`, a
/// connect timeout); parameters the URL already sets are kept.
pub fn pg_url_with_limits(url: &str, statement: std::time::Duration) -> String {
    let ms = statement.as_millis();
    let options =
        format!("-c statement_timeout={ms} -c lock_timeout={ms} -c idle_in_transaction_session_timeout={}", ms * 2);
    let wanted = [
        ("connect_timeout", "5".to_string()),
        ("keepalives", "1".to_string()),
        ("keepalives_idle", "10".to_string()),
        ("keepalives_interval", "5".to_string()),
        ("keepalives_count", "3".to_string()),
        ("tcp_user_timeout", ms.to_string()),
        ("options", options),
    ];
    let Ok(u) = url::Url::parse(url) else { return url.to_string() };
    let present: Vec<String> = u.query_pairs().map(|(k, _)| k.into_owned()).collect();
    // libpq decodes %XX but not `+`, so spaces are written %20.
    let added: Vec<String> = wanted
        .iter()
        .filter(|(k, _)| !present.iter().any(|p| p == k))
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "%20").replace('=', "%3D")))
        .collect();
    if added.is_empty() {
        return url.to_string();
    }
    let sep = if u.query().is_some() { '&' } else { '?' };
    format!("{url}{sep}{}", added.join("&"))
}

/// [`build_pool`] that waits at most `wait` for a connection: while the database is down,
/// requests answer 503 `database_unavailable` after that long, and the pool reconnects by
/// itself when it is back.
/// `cache_kib` is SQLite's page cache per connection (ignored on PostgreSQL).
/// On PostgreSQL, `statement` bounds each statement and notices a dead server (see
/// [`pg_url_with_limits`]); migrations lift the bound for themselves.
pub fn build_pool_waiting(
    url: &DatabaseUrl,
    size: u32,
    wait: std::time::Duration,
    cache_kib: u32,
    statement: Option<std::time::Duration>,
) -> Result<DbPool, String> {
    if let DatabaseUrl::Sqlite(p) = url {
        sqlite::register();
        if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
    }
    let target = match (url, statement) {
        (DatabaseUrl::Postgres(u), Some(st)) => pg_url_with_limits(u, st),
        _ => connection_string(url),
    };
    let manager = checkout::Manager::new(target);
    Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(wait)
        .connection_customizer(Box::new(Pragmas { cache_kib }))
        .build(manager)
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

/// Applies pending migrations of the pool's backend; returns how many ran.
pub fn migrate(pool: &DbPool) -> Result<usize, String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let ran = match &mut *conn {
        AnyConnection::Pg(c) => {
            // A migration may rewrite a large table: no statement bound for it (RESET below
            // returns to the session's bound from the connection's options).
            c.batch_execute("SET statement_timeout = 0; SET lock_timeout = 0").map_err(|e| e.to_string())?;
            let ran = c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len());
            c.batch_execute("RESET statement_timeout; RESET lock_timeout").map_err(|e| e.to_string())?;
            ran
        }
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    ran.map_err(|e| format!("migration failed: {e}"))
}
