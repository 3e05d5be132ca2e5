//! The database seam: one diesel `MultiConnection` over PostgreSQL and SQLite, an r2d2 pool,
//! the embedded per-backend migrations, and [`run`] which moves a query off the actix workers.

pub mod any_of;
mod batches;
pub mod bulk;
pub mod checkout;
mod checkpoint;
pub mod fixed_rows;
pub mod hooks;
pub mod json_batch;
mod pool;
pub mod schema;
pub mod sqlite;
pub mod stamp;
pub mod writer;

pub use pool::{
    build_pool, build_pool_waiting, connection_string, migrate, pg_url_with_limits, DEFAULT_CACHE_KIB, PG_MIGRATIONS,
    SQLITE_MIGRATIONS,
};

use crate::config::DatabaseUrl;
use crate::error::{AppError, AppResult};
use diesel::connection::SimpleConnection;
use diesel::r2d2::{Pool, PooledConnection};
use diesel::{PgConnection, SqliteConnection};

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<checkout::Manager>;

/// The pool plus the writer threads (see [`writer`]). Derefs to the pool for plain reads.
#[derive(Clone)]
pub struct Db {
    pub pool: DbPool,
    pub writer: writer::Writer,
    /// What every job runs inside (see [`hooks`]).
    scope: hooks::Scope,
    sqlite: bool,
    /// [`read`] may run on the calling worker (SQLite only).
    inline_reads: bool,
}

impl Db {
    /// Starts the writer threads: one on SQLite (it has one write lock), `pg_writers` on PostgreSQL.
    /// Every job through this handle runs inside `scope` (see [`hooks`]).
    pub fn new(pool: DbPool, url: &DatabaseUrl, pg_writers: usize, scope: hooks::Scope) -> Self {
        let sqlite = matches!(url, DatabaseUrl::Sqlite(_));
        let writer = writer::Writer::start(&pool, if sqlite { 1 } else { pg_writers }, &scope, sqlite);
        Db { pool, writer, scope, sqlite, inline_reads: sqlite }
    }

    /// Bounds how long a request waits for the database: past `budget` it answers 503
    /// `database_unavailable` (the pool's wait plus a statement's time; see `LVZHI_DB_WAIT_MS`
    /// and `LVZHI_DB_STATEMENT_MS`).
    pub fn bounded(self, budget: std::time::Duration) -> Self {
        self.writer.set_budget(Some(budget));
        self
    }

    /// Whether short reads may run on the calling worker (`LVZHI_DB_INLINE_READS`); only SQLite
    /// ever does.
    pub fn inline_reads(mut self, on: bool) -> Self {
        self.inline_reads = on && self.sqlite;
        self
    }
}

impl std::ops::Deref for Db {
    type Target = DbPool;
    fn deref(&self) -> &DbPool {
        &self.pool
    }
}
pub type DbConn = PooledConnection<checkout::Manager>;

/// One round trip to the database (readiness probes).
pub fn ping(c: &mut AnyConnection) -> AppResult<()> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT 1").execute(c)?;
    Ok(())
}

/// Runs `f` with a pooled connection on the blocking thread pool, so actix workers never wait on I/O.
/// What its writes change in the kept views is applied before it returns.
pub async fn run<T, F>(db: &Db, f: F) -> AppResult<T>
where
    F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    let (pool, scope) = (db.pool.clone(), db.scope.clone());
    let work = actix_web::web::block(move || {
        hooks::within(&*scope, || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .unwrap_or_else(|| Err(AppError::internal("a job scope skipped its job")))
    });
    db.writer.within(async { work.await? }).await
}

/// Runs a short read — a few rows found through an index — for a hot path. On SQLite it runs
/// right here on the calling worker when a pooled connection is idle: such a read takes a few
/// microseconds from the page cache, less than handing it to a blocking thread and waking the
/// worker again (that hand-off was half of the CPU of `GET /api/v1/auth/me`). WAL readers never
/// wait for the writer. This is the one exception to "never block an actix worker", bounded to
/// reads that cost less than the hop; `LVZHI_DB_INLINE_READS=false` turns it off (say, a
/// database on a slow disk larger than the OS page cache). With no idle connection, and always
/// on PostgreSQL (a network round trip), it goes through [`run`]. Scans, exports and anything
/// unbounded use [`run`].
pub async fn read<T, F>(db: &Db, f: F) -> AppResult<T>
where
    F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    if db.inline_reads {
        if let Some(mut conn) = db.pool.try_get() {
            // A short read writes nothing, so it needs no views to apply changes to.
            let out = f(&mut conn);
            debug_assert!(hooks::clean(), "a short read noted a change: write through db::run or db::tx");
            return out;
        }
    }
    run(db, f).await
}

/// Like [`run`], inside one transaction. On SQLite every write transaction runs on the single
/// writer thread (no two ever wait on the write lock); on PostgreSQL it runs on the pool.
pub async fn tx<T, F>(db: &Db, f: F) -> AppResult<T>
where
    F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    if db.sqlite {
        db.writer.solo(f).await
    } else {
        run(db, move |c| in_tx(c, f)).await
    }
}

/// Opens a transaction. On SQLite it is `BEGIN IMMEDIATE`: it takes the write lock up front, so a
/// writer outside the writer thread (the CLI) queues on `busy_timeout` instead of failing when a
/// read lock cannot be upgraded.
fn begin(c: &mut AnyConnection) -> AppResult<()> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match c {
        AnyConnection::Pg(pg) => AnsiTransactionManager::begin_transaction(pg)?,
        AnyConnection::Sqlite(sq) => AnsiTransactionManager::begin_transaction_sql(sq, "BEGIN IMMEDIATE")?,
    }
    Ok(())
}

/// How many transactions are open on the connection (0 outside any).
fn depth(c: &mut AnyConnection) -> u32 {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let status = match c {
        AnyConnection::Pg(pg) => AnsiTransactionManager::transaction_manager_status_mut(pg).transaction_depth(),
        AnyConnection::Sqlite(sq) => AnsiTransactionManager::transaction_manager_status_mut(sq).transaction_depth(),
    };
    status.ok().flatten().map_or(0, |d| d.get())
}

/// Commits (`commit` true) or rolls back the transaction [`begin`] opened.
fn end(c: &mut AnyConnection, commit: bool) -> AppResult<()> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match (commit, c) {
        (true, AnyConnection::Pg(pg)) => AnsiTransactionManager::commit_transaction(pg)?,
        (true, AnyConnection::Sqlite(sq)) => AnsiTransactionManager::commit_transaction(sq)?,
        (false, AnyConnection::Pg(pg)) => AnsiTransactionManager::rollback_transaction(pg)?,
        (false, AnyConnection::Sqlite(sq)) => AnsiTransactionManager::rollback_transaction(sq)?,
    }
    Ok(())
}

/// Runs `f` in a transaction on an already checked-out connection.
pub fn in_tx<T>(c: &mut AnyConnection, f: impl FnOnce(&mut AnyConnection) -> AppResult<T>) -> AppResult<T> {
    let outermost = depth(c) == 0;
    begin(c)?;
    let out = f(c);
    let ended = end(c, out.is_ok());
    if outermost && matches!(ended, Ok(())) {
        // Committed (or rolled back: applying its changes anyway only costs a re-read). A nested
        // transaction leaves them to the outermost one: nothing is visible before it commits.
        hooks::committed();
    }
    match (out, ended) {
        (Ok(v), Ok(())) => Ok(v),
        (Ok(_), Err(e)) => Err(e),
        (Err(e), _) => Err(e),
    }
}

/// Refreshes PostgreSQL's statistics of these tables after a large write (nothing on SQLite):
/// until autovacuum gets to them (up to a minute or more), the plans cached for prepared
/// statements still assume the tables as they were, e.g. a sequential scan of a table grown
/// 25-fold.
pub fn analyze(conn: &mut AnyConnection, tables: &[&str]) -> AppResult<()> {
    if let (AnyConnection::Pg(pg), false) = (conn, tables.is_empty()) {
        diesel::RunQueryDsl::execute(diesel::sql_query(format!("ANALYZE {}", tables.join(", "))), pg)?;
    }
    Ok(())
}

pub fn is_postgres(conn: &AnyConnection) -> bool {
    matches!(conn, AnyConnection::Pg(_))
}

/// Current UTC time as stored in TIMESTAMP columns (microsecond precision on both backends).
pub fn ts(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let n = t.naive_utc();
    n.with_nanosecond(n.nanosecond() / 1000 * 1000).unwrap_or(n)
}

pub fn utc(n: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_naive_utc_and_offset(n, chrono::Utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    #[actix_web::test]
    async fn a_short_read_runs_on_the_worker_when_a_connection_is_idle_and_waits_off_it_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("read.db"));
        let pool = build_pool(&url, 2).unwrap();
        let db = Db::new(pool.clone(), &url, 1, std::sync::Arc::new(hooks::NoScope));
        let here = thread::current().id();
        assert_eq!(read(&db, |_| Ok(thread::current().id())).await.unwrap(), here);

        let held = (pool.get().unwrap(), pool.get().unwrap());
        let mut waiting = Box::pin(read(&db, |_| Ok(thread::current().id())));
        assert!(
            futures_util::future::poll_immediate(&mut waiting).await.is_none(),
            "no idle connection: the read waits"
        );
        drop(held);
        assert_ne!(waiting.await.unwrap(), here, "the waiting read ran on a blocking thread");

        let off = db.clone().inline_reads(false);
        assert_ne!(
            read(&off, |_| Ok(thread::current().id())).await.unwrap(),
            here,
            "LVZHI_DB_INLINE_READS=false: never on the worker"
        );
    }

    diesel::table! {
        batch_rows (id) {
            id -> BigInt,
            n -> BigInt,
        }
    }

    #[test]
    fn in_batches_covers_every_row_in_order_with_fixed_batch_sizes_on_sqlite() {
        use diesel::connection::SimpleConnection;
        use diesel::prelude::*;
        // The process settings first (only possible before SQLite initialises).
        crate::db::sqlite::register();
        let mut c = AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        c.batch_execute("CREATE TABLE batch_rows (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)").unwrap();
        for total in [0usize, 1, 3, 21, 64, 150] {
            c.batch_execute("DELETE FROM batch_rows").unwrap();
            let rows: Vec<_> = (0..total as i64).map(|n| batch_rows::n.eq(n)).collect();
            let mut sizes = vec![];
            let run = |c: &mut AnyConnection, sizes: &mut Vec<usize>| -> QueryResult<()> {
                crate::in_batches!(c, rows, |c, batch| {
                    sizes.push(batch.len());
                    diesel::insert_into(batch_rows::table).values(batch).execute(c)?
                });
                Ok(())
            };
            run(&mut c, &mut sizes).unwrap();
            let stored: Vec<i64> = batch_rows::table.order(batch_rows::id).select(batch_rows::n).load(&mut c).unwrap();
            assert_eq!(stored, (0..total as i64).collect::<Vec<_>>(), "{total} rows, in order");
            assert!(sizes.iter().all(|s| [64, 16, 4, 1].contains(s)), "{total}: {sizes:?}");
            assert_eq!(sizes.iter().sum::<usize>(), total);
        }
    }
}
