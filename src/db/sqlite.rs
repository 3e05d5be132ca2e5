//! SQLite process and connection settings that diesel cannot reach.
//!
//! - **Query planner stability guarantee (QPSG).** SQLite 3.53 plans `LIMIT ?` with the value
//!   bound to `?` (and `LIKE ?` with the bound pattern), and marks the prepared statement to be
//!   planned again whenever that parameter is bound anew. diesel binds every parameter on every
//!   execution, so each cached statement with a `LIMIT` (every `.first()`, every page) or a
//!   `LIKE` was parsed and planned again on every call — most of the cost of a short read. With
//!   QPSG the plan depends on the SQL text alone. We keep no `ANALYZE` statistics and no `NOCASE`
//!   columns, so no plan used a bound value to begin with.
//! - **Multi-thread mode, no memory statistics.** A diesel connection is `Send` but not `Sync`:
//!   Rust already guarantees that no two threads use one connection at once, so the mutex SQLite
//!   takes around every call on a connection (each step, bind and column read) is pure cost, as
//!   is the global mutex around every allocation that keeps `sqlite3_memory_used` (rusqlite opens
//!   its connections without the per-connection mutex for the same reason).

use libsqlite3_sys as ffi;
use std::ffi::{c_char, c_int};
use std::sync::Once;

static REGISTER: Once = Once::new();

/// Sets SQLite's threading mode and memory statistics (only possible before SQLite initialises,
/// that is before the first connection of the process) and registers, once per process, an
/// auto-extension that turns QPSG on in every connection opened from then on. Call before the
/// first connection is opened.
pub fn register() {
    REGISTER.call_once(|| {
        // SAFETY: `sqlite3_config` takes these options with these arguments and only fails
        // (SQLITE_MISUSE, changing nothing) once SQLite has initialised. `on_open` has the
        // signature SQLite's auto-extension takes and lives for the whole process.
        let (threads, memstat, ext) = unsafe {
            (
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MULTITHREAD),
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int),
                ffi::sqlite3_auto_extension(Some(on_open)),
            )
        };
        if threads != ffi::SQLITE_OK || memstat != ffi::SQLITE_OK {
            tracing::warn!(
                threads,
                memstat,
                "SQLite was initialised before its settings could be made; connections keep their own mutex"
            );
        }
        if ext != ffi::SQLITE_OK {
            tracing::warn!(
                rc = ext,
                "could not register the SQLite connection set-up; statements with LIMIT will be planned on each call"
            );
        }
    });
}

/// Runs inside `sqlite3_open_v2` for each new connection.
unsafe extern "C" fn on_open(
    db: *mut ffi::sqlite3,
    _err: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: SQLite passes the connection being opened; `SQLITE_DBCONFIG_ENABLE_QPSG` takes an
    // int (1 = on) and an int pointer for the new setting, which may be null.
    unsafe { ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_ENABLE_QPSG, 1 as c_int, std::ptr::null_mut::<c_int>()) };
    ffi::SQLITE_OK
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    /// Runs `SELECT … LIMIT ?` three times through one prepared statement, binding the limit
    /// each time as diesel does, and returns how often SQLite prepared it again.
    fn reprepares_of_limit_query() -> c_int {
        let path = CString::new(":memory:").unwrap_or_default();
        let sql = CString::new("SELECT value FROM (SELECT 1 AS value UNION ALL SELECT 2) ORDER BY value LIMIT ?")
            .unwrap_or_default();
        // SAFETY: plain use of the C API on a private in-memory database; every handle is
        // finalised/closed before returning.
        unsafe {
            let mut db = std::ptr::null_mut();
            assert_eq!(ffi::sqlite3_open(path.as_ptr(), &mut db), ffi::SQLITE_OK);
            let mut stmt = std::ptr::null_mut();
            assert_eq!(
                ffi::sqlite3_prepare_v3(
                    db,
                    sql.as_ptr(),
                    -1,
                    ffi::SQLITE_PREPARE_PERSISTENT,
                    &mut stmt,
                    std::ptr::null_mut()
                ),
                ffi::SQLITE_OK
            );
            for _ in 0..3 {
                assert_eq!(ffi::sqlite3_bind_int64(stmt, 1, 1), ffi::SQLITE_OK);
                assert_eq!(ffi::sqlite3_step(stmt), ffi::SQLITE_ROW);
                ffi::sqlite3_reset(stmt);
            }
            let n = ffi::sqlite3_stmt_status(stmt, ffi::SQLITE_STMTSTATUS_REPREPARE, 0);
            ffi::sqlite3_finalize(stmt);
            ffi::sqlite3_close(db);
            n
        }
    }

    #[test]
    fn connections_take_no_mutex_of_their_own() {
        register();
        let path = CString::new(":memory:").unwrap_or_default();
        // SAFETY: opens and closes a private in-memory database.
        unsafe {
            let mut db = std::ptr::null_mut();
            assert_eq!(ffi::sqlite3_open(path.as_ptr(), &mut db), ffi::SQLITE_OK);
            assert!(ffi::sqlite3_db_mutex(db).is_null(), "multi-thread mode: no per-connection mutex");
            ffi::sqlite3_close(db);
        }
    }

    #[test]
    fn a_cached_limit_statement_is_planned_again_without_qpsg_and_not_with_it() {
        // The process settings first: clearing the auto-extensions initialises SQLite.
        register();
        // SAFETY: clearing and adding auto-extensions only changes how later connections open;
        // at worst another test's connection opens without QPSG (slower, not wrong).
        unsafe { ffi::sqlite3_reset_auto_extension() };
        assert!(reprepares_of_limit_query() >= 2, "SQLite plans `LIMIT ?` with the bound value");
        assert_eq!(unsafe { ffi::sqlite3_auto_extension(Some(on_open)) }, ffi::SQLITE_OK);
        assert_eq!(reprepares_of_limit_query(), 0);
    }
}
