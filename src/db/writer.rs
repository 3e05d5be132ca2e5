//! The writer threads: every SQLite write transaction runs on the one writer thread (SQLite has
//! one write lock; no request ever sleeps in the busy handler waiting for it), and the bulk
//! writes of [`super::bulk`] run on them on both backends. On PostgreSQL ordinary transactions
//! keep running on the pool; `LVZHI_DB_WRITERS` threads serve the bulk writes.
//!
//! On SQLite a checkpointer thread copies the write-ahead log back into the database file
//! (`PRAGMA wal_checkpoint(PASSIVE)`, which waits for no reader or writer) every
//! [`CHECKPOINT_EVERY`](super::checkpoint::CHECKPOINT_EVERY), so the writer's commits never run a checkpoint — with its two fsyncs —
//! themselves (the writer's connections have `wal_autocheckpoint = 0`).
//!
//! SQLite starts the log over from its beginning only when a write transaction begins with every
//! frame copied back; under a steady stream of commits a checkpoint on another thread never
//! catches up, and the log grew for as long as the stream lasted (every frame then extends the
//! file: new page-cache pages and blocks, half the cost of a frame). So after each pass of the
//! checkpointer the writer, between two transactions, runs one more pass itself: it copies only
//! what was committed since, and the next transaction starts the log over, into file pages that
//! are already cached.

use super::checkpoint::{checkpoint, checkpointer};
use super::{in_tx, AnyConnection, DbPool};
use crate::error::{AppError, AppResult};
use diesel::connection::SimpleConnection;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// The most queued items a writer takes at once.
const MAX_BATCH: usize = 128;

/// Work that manages its own transactions on the writer's connection (see [`super::bulk`]); it
/// gets the error instead when no connection could be had.
pub(crate) type Raw = Box<dyn FnOnce(Result<&mut AnyConnection, AppError>, &Counts) + Send>;

type Queue = Arc<Mutex<mpsc::UnboundedReceiver<Raw>>>;

/// What the writer threads have done since start (for `/metrics` and tests).
#[derive(Debug, Default)]
pub struct Counts {
    /// Jobs answered.
    pub jobs: AtomicU64,
    /// Transactions committed or rolled back (shared ones count once).
    pub transactions: AtomicU64,
    /// Bulk transactions that failed and were run again request by request.
    pub fallbacks: AtomicU64,
}

impl Counts {
    pub fn snapshot(&self) -> (u64, u64, u64) {
        (
            self.jobs.load(Ordering::Relaxed),
            self.transactions.load(Ordering::Relaxed),
            self.fallbacks.load(Ordering::Relaxed),
        )
    }
}

/// Answers to deliver: the waiting requests of a committed bulk (see [`Writer::answer`]).
pub(crate) type Answers = Box<dyn FnOnce() + Send>;

/// Handle to the writer threads; cloning it is cheap. When the last handle is gone the threads
/// finish what is queued and end, and the dropping thread waits for them: a writer must not
/// close its connections (libpq, OpenSSL) while the process is already exiting.
#[derive(Clone)]
pub struct Writer {
    // Fields drop in order: the last handle's senders close the queues before the threads are joined.
    tx: mpsc::UnboundedSender<Raw>,
    answers: std::sync::mpsc::Sender<Answers>,
    pub counts: Arc<Counts>,
    /// How long a request waits for its work's answer, ms (0: as long as it takes); shared by
    /// every handle (see [`super::Db::bounded`]).
    budget: Arc<AtomicU64>,
    _threads: Arc<Threads>,
}

/// The writer threads (and the SQLite checkpointer), joined when the last [`Writer`] handle drops.
struct Threads {
    handles: Vec<std::thread::JoinHandle<()>>,
    /// Dropping it ends the checkpointer.
    stop: Option<std::sync::mpsc::Sender<()>>,
}

impl Drop for Threads {
    fn drop(&mut self) {
        self.stop.take();
        let here = std::thread::current().id();
        // A job holding the last handle may drop it on a writer thread: that one is not waited for.
        for h in std::mem::take(&mut self.handles).into_iter().filter(|h| h.thread().id() != here) {
            let _ = h.join();
        }
    }
}

impl Writer {
    /// Starts `threads` writer threads over `pool`.
    /// Their jobs run inside `scope`.
    /// On SQLite (`sqlite`) a checkpointer thread runs beside them.
    pub fn start(pool: &DbPool, threads: usize, scope: &super::hooks::Scope, sqlite: bool) -> Self {
        let (tx, rx) = mpsc::unbounded_channel::<Raw>();
        let queue: Queue = Arc::new(Mutex::new(rx));
        let counts = Arc::new(Counts::default());
        // Set by the checkpointer after a pass: the writer's turn to finish it (SQLite).
        let finish = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::new();
        for n in 0..threads.max(1) {
            let (pool, queue, counts, scope, finish) =
                (pool.clone(), queue.clone(), counts.clone(), scope.clone(), finish.clone());
            let spawned = std::thread::Builder::new().name(format!("lvzhi-writer-{n}")).spawn(move || {
                scope.adopt();
                writer_loop(&pool, &queue, &counts, sqlite.then_some(&*finish))
            });
            match spawned {
                Ok(h) => handles.push(h),
                Err(e) => tracing::error!(error = %e, "cannot start a database writer thread"),
            }
        }
        let mut stop = None;
        if sqlite {
            let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
            let pool = pool.clone();
            match std::thread::Builder::new()
                .name("lvzhi-checkpoint".into())
                .spawn(move || checkpointer(&pool, &stop_rx, &finish))
            {
                Ok(h) => {
                    handles.push(h);
                    stop = Some(stop_tx);
                }
                Err(e) => tracing::error!(error = %e, "cannot start the SQLite checkpointer thread"),
            }
        }
        let (answers, answers_rx) = std::sync::mpsc::channel::<Answers>();
        match std::thread::Builder::new()
            .name("lvzhi-answers".into())
            .spawn(move || answers_rx.iter().for_each(|deliver| deliver()))
        {
            Ok(h) => handles.push(h),
            Err(e) => {
                tracing::error!(error = %e, "cannot start the thread that answers bulk writes; the writer answers them itself")
            }
        }
        let threads = Threads { handles, stop };
        Writer { tx, answers, counts, budget: Arc::default(), _threads: Arc::new(threads) }
    }

    /// Wakes the requests of a committed bulk from another thread: each wake of a request's task
    /// on another runtime is a system call (an eventfd write), a few percent of the writer's time
    /// under a burst, and the writer's time is what every write waits for. Runs `deliver` here
    /// when that thread is gone.
    pub(crate) fn answer(&self, deliver: Answers) {
        if let Err(std::sync::mpsc::SendError(deliver)) = self.answers.send(deliver) {
            deliver();
        }
    }

    /// Bounds how long requests wait for the database (`None`: unbounded, the CLI's default).
    pub fn set_budget(&self, budget: Option<Duration>) {
        self.budget.store(budget.map_or(0, |d| d.as_millis().max(1) as u64), Ordering::Relaxed);
    }

    /// The bound set by [`Self::set_budget`].
    pub fn budget(&self) -> Option<Duration> {
        Some(self.budget.load(Ordering::Relaxed)).filter(|ms| *ms > 0).map(Duration::from_millis)
    }

    /// Awaits `fut` within the budget: past it the request answers 503 `database_unavailable`
    /// (a frozen database never answers, and a statement's own timeout is the server's to
    /// enforce); the work itself may still finish later, as a retry with the same key will see.
    pub async fn within<T>(&self, fut: impl std::future::Future<Output = AppResult<T>>) -> AppResult<T> {
        match self.budget() {
            None => fut.await,
            Some(limit) => tokio::time::timeout(limit, fut).await.unwrap_or_else(|_| {
                Err(AppError::database_unavailable(format!(
                    "no answer from the database within {} ms",
                    limit.as_millis()
                )))
            }),
        }
    }

    /// Queues work that opens and ends its own transactions on a writer thread.
    pub(crate) fn raw(&self, f: Raw) -> AppResult<()> {
        self.tx.send(f).map_err(|_| AppError::internal("the database writer has stopped"))
    }

    /// Runs `f` once, alone in its own transaction, on a writer thread.
    pub async fn solo<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.raw(Box::new(move |conn, counts| {
            let out = conn.and_then(|c| {
                counts.jobs.fetch_add(1, Ordering::Relaxed);
                counts.transactions.fetch_add(1, Ordering::Relaxed);
                in_tx(c, f)
            });
            let _ = tx.send(out);
        }))?;
        self.within(async { rx.await.map_err(|_| AppError::internal("the database writer dropped a job"))? }).await
    }
}

/// Runs queued work; `finish` is the SQLite checkpointer's signal (see the module documentation).
fn writer_loop(pool: &DbPool, queue: &Queue, counts: &Counts, finish: Option<&AtomicBool>) {
    loop {
        let jobs = {
            let Ok(mut rx) = queue.lock() else { return };
            let Some(first) = rx.blocking_recv() else { return };
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            jobs
        };
        let conn = pool.get().map_err(|e| e.to_string()).and_then(|mut c| {
            if finish.is_some() {
                // The checkpointer folds the log back; a commit here never does.
                c.batch_execute("PRAGMA wal_autocheckpoint = 0").map_err(|e| e.to_string())?;
            }
            Ok(c)
        });
        match conn {
            // In order; each piece of work ends its own transactions.
            Ok(mut conn) => {
                jobs.into_iter().for_each(|f| {
                    f(Ok(&mut conn), counts);
                    super::hooks::committed();
                });
                // Between transactions: copy what was committed since the checkpointer's pass, so
                // that the next transaction starts the log over. (Busy when the checkpointer is
                // in a pass again: then its next signal retries.)
                if finish.is_some_and(|f| f.swap(false, Ordering::Relaxed)) {
                    if let Err(e) = checkpoint(&mut conn) {
                        tracing::debug!(error = %e, "the writer's checkpoint did not run");
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "the database writer cannot get a connection; its jobs answer 503");
                for f in jobs {
                    f(Err(AppError::database_unavailable(format!("no database connection: {e}"))), counts);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_is_answered_from_the_answering_thread_not_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let url = crate::config::DatabaseUrl::Sqlite(dir.path().join("t.db"));
        let pool = super::super::build_pool(&url, 2).unwrap();
        let writer =
            Writer::start(&pool, 1, &(std::sync::Arc::new(crate::db::hooks::NoScope) as crate::db::hooks::Scope), true);
        let (tx, rx) = std::sync::mpsc::channel();
        let w = writer.clone();
        writer
            .raw(Box::new(move |_, _| {
                let writer_thread = std::thread::current().name().map(str::to_string);
                w.answer(Box::new(move || {
                    let _ = tx.send((writer_thread, std::thread::current().name().map(str::to_string)));
                }));
            }))
            .unwrap();
        let (on, answered_on) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(on.as_deref(), Some("lvzhi-writer-0"));
        assert_eq!(answered_on.as_deref(), Some("lvzhi-answers"));
    }
}
