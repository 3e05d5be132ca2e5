//! The pool's connection manager: diesel's, except that a connection which finished a statement
//! within the last [`FRESH`] is handed out without a check. r2d2 checks every connection it hands
//! out by default, and diesel's check is a `SELECT 1` — on PostgreSQL a whole extra round trip
//! for every [`super::run`], on SQLite a statement for every short read. A connection that sat
//! idle longer is still checked (a database restarted meanwhile is noticed and the connection
//! replaced without failing a request, as before); one that dies while in use fails its request
//! once and is discarded on return (diesel marks it broken).

use super::AnyConnection;
use diesel::connection::{Connection, Instrumentation, InstrumentationEvent};
use diesel::r2d2::{ConnectionManager, Error, ManageConnection};
use std::time::{Duration, Instant};

/// How long after its last statement a connection is handed out unchecked (HikariCP's
/// "alive bypass window" is 500 ms).
pub const FRESH: Duration = Duration::from_secs(1);

/// Rides on each pooled connection: when it last finished a statement without error, and how
/// many statements it ran (for tests).
pub struct LastUse {
    pub at: Instant,
    pub statements: u64,
}

impl Instrumentation for LastUse {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error, .. } = event {
            self.statements += 1;
            if error.is_none() {
                self.at = Instant::now();
            }
        }
    }
}

/// Whether a connection last used at `at` must be checked before it is handed out at `now`.
pub fn needs_check(at: Instant, now: Instant) -> bool {
    now.saturating_duration_since(at) >= FRESH
}

/// Initialises OpenSSL before libpq first does, without its `atexit` clean-up: libpq's own
/// initialisation registers one, and a pool thread still talking TLS to PostgreSQL while the
/// process exits then crashes inside freed OpenSSL state (seen as a SIGSEGV after a test run had
/// passed; sfackler/r2d2#137). Cheap after the first call. Call it before any direct
/// `PgConnection::establish`.
pub fn init_tls() {
    openssl_sys::init();
}

/// diesel's connection manager with the check skipped for fresh connections; it connects to
/// the backend its URL names (diesel's multi-backend manager tries each backend in turn and, when
/// the database is down, reports only "Invalid connection url for multiconnection").
pub struct Manager(pub ConnectionManager<AnyConnection>, String);

impl Manager {
    pub fn new(url: String) -> Self {
        Manager(ConnectionManager::new(url.clone()), url)
    }
}

/// The connection's [`LastUse`], when it carries one.
pub fn last_use(conn: &mut AnyConnection) -> Option<&mut LastUse> {
    conn.instrumentation().downcast_mut::<LastUse>()
}

impl ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = Error;

    fn connect(&self) -> Result<AnyConnection, Error> {
        let url = &self.1;
        let mut c = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            init_tls();
            AnyConnection::Pg(diesel::PgConnection::establish(url).map_err(Error::ConnectionError)?)
        } else {
            AnyConnection::Sqlite(diesel::SqliteConnection::establish(url).map_err(Error::ConnectionError)?)
        };
        c.set_instrumentation(LastUse { at: Instant::now(), statements: 0 });
        Ok(c)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Error> {
        if last_use(conn).is_some_and(|u| !needs_check(u.at, Instant::now())) {
            return Ok(());
        }
        self.0.is_valid(conn)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        self.0.has_broken(conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_connection_idle_for_a_while_is_checked() {
        let now = Instant::now();
        assert!(!needs_check(now, now));
        assert!(!needs_check(now - Duration::from_millis(999), now));
        assert!(needs_check(now - FRESH, now));
        // A clock that looks backwards (another thread's later reading) counts as fresh.
        assert!(!needs_check(now + Duration::from_millis(5), now));
    }

    #[test]
    fn a_fresh_connection_is_handed_out_without_a_statement_and_an_idle_one_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::config::DatabaseUrl::Sqlite(dir.path().join("t.db"));
        let pool = super::super::build_pool(&url, 1).unwrap();
        let count = |c: &mut AnyConnection| last_use(c).map(|u| u.statements).unwrap();
        let mut c = pool.get().unwrap();
        let before = count(&mut c);
        drop(c);
        let mut c = pool.get().unwrap();
        assert_eq!(count(&mut c), before, "a connection used a moment ago was checked");
        last_use(&mut c).unwrap().at = Instant::now() - FRESH;
        drop(c);
        let mut c = pool.get().unwrap();
        assert_eq!(count(&mut c), before + 1, "an idle connection was handed out unchecked");
    }
}
