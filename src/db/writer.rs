//! The writer threads: every SQLite write transaction runs on the one writer thread (SQLite has
//! one write lock; no request ever sleeps in the busy handler waiting for it), and the bulk
//! writes of [`super::bulk`] run on them on both backends. On PostgreSQL ordinary transactions
//! keep running on the pool; `LVZHI_DB_WRITERS` threads serve the bulk writes.

use super::{begin, end, AnyConnection, DbPool};
use crate::error::{AppError, AppResult};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// The most queued items a writer takes at once.
const MAX_BATCH: usize = 128;

trait Job: Send {
    /// Runs the work on `c` inside an open transaction; false when it failed.
    fn run(&mut self, c: &mut AnyConnection) -> bool;
    /// Replaces the answer with `err` (the transaction could not commit).
    fn fail(&mut self, err: AppError);
    /// Answers the caller (after the commit, or the rollback of a failed job).
    fn finish(self: Box<Self>);
}

/// A job that runs once, alone in its transaction.
struct Solo<T, F> {
    f: Option<F>,
    out: Option<AppResult<T>>,
    tx: oneshot::Sender<AppResult<T>>,
}

impl<T: Send, F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send> Job for Solo<T, F> {
    fn run(&mut self, c: &mut AnyConnection) -> bool {
        let out = match self.f.take() {
            Some(f) => f(c),
            None => Err(AppError::internal("a write job ran twice")),
        };
        let ok = out.is_ok();
        self.out = Some(out);
        ok
    }
    fn fail(&mut self, err: AppError) {
        self.out = Some(Err(err));
    }
    fn finish(self: Box<Self>) {
        let _ = self.tx.send(self.out.unwrap_or_else(|| Err(AppError::internal("a write job finished without running"))));
    }
}

/// Work that manages its own transactions on the writer's connection (see [`super::bulk`]); it
/// gets the error instead when no connection could be had.
pub(crate) type Raw = Box<dyn FnOnce(Result<&mut AnyConnection, AppError>, &Counts) + Send>;

enum Work {
    Job(Box<dyn Job>),
    Raw(Raw),
}

type Queue = Arc<Mutex<mpsc::UnboundedReceiver<Work>>>;

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
        (self.jobs.load(Ordering::Relaxed), self.transactions.load(Ordering::Relaxed), self.fallbacks.load(Ordering::Relaxed))
    }
}

/// Handle to the writer threads; cloning it is cheap. The threads end when every handle is gone.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::UnboundedSender<Work>,
    pub counts: Arc<Counts>,
}

impl Writer {
    /// Starts `threads` writer threads over `pool`.
    pub fn start(pool: &DbPool, threads: usize) -> Self {
        let (tx, rx) = mpsc::unbounded_channel::<Work>();
        let queue: Queue = Arc::new(Mutex::new(rx));
        let counts = Arc::new(Counts::default());
        for n in 0..threads.max(1) {
            let (pool, queue, counts) = (pool.clone(), queue.clone(), counts.clone());
            let spawned = std::thread::Builder::new().name(format!("lvzhi-writer-{n}")).spawn(move || writer_loop(&pool, &queue, &counts));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a database writer thread");
            }
        }
        Writer { tx, counts }
    }

    async fn submit<T: Send + 'static>(&self, job: Box<dyn Job>, rx: oneshot::Receiver<AppResult<T>>) -> AppResult<T> {
        self.tx.send(Work::Job(job)).map_err(|_| AppError::internal("the database writer has stopped"))?;
        rx.await.map_err(|_| AppError::internal("the database writer dropped a job"))?
    }

    /// Queues work that opens and ends its own transactions on a writer thread.
    pub(crate) fn raw(&self, f: Raw) -> AppResult<()> {
        self.tx.send(Work::Raw(f)).map_err(|_| AppError::internal("the database writer has stopped"))
    }

    /// Runs `f` once, alone in its own transaction, on a writer thread.
    pub async fn solo<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut AnyConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.submit(Box::new(Solo { f: Some(f), out: None, tx }), rx).await
    }
}

fn writer_loop(pool: &DbPool, queue: &Queue, counts: &Counts) {
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
        match pool.get() {
            Ok(mut conn) => run_jobs(&mut conn, jobs, counts),
            Err(e) => {
                tracing::error!(error = %e, "database writer cannot get a connection");
                for w in jobs {
                    let err = AppError::internal(format!("no database connection: {e}"));
                    match w {
                        Work::Job(mut j) => {
                            j.fail(err);
                            j.finish();
                        }
                        Work::Raw(f) => f(Err(err), counts),
                    }
                }
            }
        }
    }
}

/// Runs the drained work in order.
fn run_jobs(c: &mut AnyConnection, work: Vec<Work>, counts: &Counts) {
    for w in work {
        match w {
            Work::Job(job) => alone(c, job, counts),
            Work::Raw(f) => f(Ok(c), counts),
        }
    }
}

fn alone(c: &mut AnyConnection, mut job: Box<dyn Job>, counts: &Counts) {
    counts.jobs.fetch_add(1, Ordering::Relaxed);
    counts.transactions.fetch_add(1, Ordering::Relaxed);
    match begin(c) {
        Ok(()) => {
            let ok = job.run(c);
            if let Err(e) = end(c, ok) {
                tracing::error!(error = %e, "a write transaction did not end cleanly");
                if ok {
                    job.fail(e);
                }
            }
        }
        Err(e) => job.fail(e),
    }
    job.finish();
}
