//! The SQLite WAL checkpointer: a thread that folds the write-ahead log back into the database file
//! while the writers run, so the log does not grow without bound.

use super::DbPool;
use diesel::connection::SimpleConnection;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Checkpoints the SQLite write-ahead log every [`CHECKPOINT_EVERY`] until `stop` is dropped, and
/// once more then, so the log is folded back when the writers stop. With nothing new in the log
/// a checkpoint only reads the log's index header. After a pass it sets `finish`: the writer's
/// turn to copy the rest (see the module documentation).
pub fn checkpointer(pool: &DbPool, stop: &std::sync::mpsc::Receiver<()>, finish: &AtomicBool) {
    loop {
        let stopping = stop.recv_timeout(CHECKPOINT_EVERY) != Err(std::sync::mpsc::RecvTimeoutError::Timeout);
        let ran = match pool.get() {
            Ok(mut c) => checkpoint(&mut c).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match ran {
            Ok(()) => finish.store(true, Ordering::Relaxed),
            Err(e) => tracing::warn!(error = %e, "SQLite checkpoint failed; the next one will retry"),
        }
        if stopping {
            return;
        }
    }
}

/// Copies what it can of the write-ahead log into the database file, waiting for no one.
pub fn checkpoint(c: &mut impl SimpleConnection) -> diesel::QueryResult<()> {
    c.batch_execute("PRAGMA wal_checkpoint(PASSIVE)")
}

/// How often the SQLite checkpointer runs.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);
