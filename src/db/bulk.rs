//! Set-oriented group commit for the hottest writes (a check-in burst at 9:00).
//!
//! Requests of one kind queue here; whenever a writer thread is free it takes everything queued
//! (up to [`MAX_BULK`]) and applies it with a handful of multi-row statements in one transaction
//! — one read of every deputy's latest state, one INSERT of all new rows — instead of a few
//! statements per request. Nothing waits on a timer: under light load a bulk holds one request.
//!
//! The kind decides in memory, then writes only what it accepted, so one request's business
//! error never touches another's rows. Inputs it cannot apply together (two for the same deputy)
//! it marks [`Outcome::Alone`]; they run afterwards, each in its own transaction. When the
//! statements or the commit fail (a constraint raced by another instance, a deadlock), the bulk
//! is rolled back and every input runs alone: exactly what it would have done without bulking.

use super::writer::{Counts, Writer};
use super::{in_tx, AnyConnection};
use crate::error::{AppError, AppResult};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// The most requests applied by one bulk.
pub const MAX_BULK: usize = 256;

/// What happened to one input of a bulk.
pub enum Outcome<T> {
    /// Answered (written, or refused without writing anything).
    Done(AppResult<T>),
    /// Not applied; run it alone after the bulk commits.
    Alone,
}

/// A kind of write that can be applied to many requests at once.
pub trait BulkWrite: Send + Sync + 'static {
    type Input: Send + 'static;
    type Output: Send + 'static;
    /// Applies the inputs inside one open transaction and answers each, in order. An `Err`
    /// rolls the whole bulk back; every input then runs alone.
    fn many(&self, c: &mut AnyConnection, inputs: &[Self::Input]) -> AppResult<Vec<Outcome<Self::Output>>>;
}

type Waiting<K> = (<K as BulkWrite>::Input, oneshot::Sender<AppResult<<K as BulkWrite>::Output>>);

struct Inner<K: BulkWrite> {
    kind: K,
    queue: Mutex<Vec<Waiting<K>>>,
    writer: Writer,
}

/// Handle to one kind's queue; cloning it is cheap.
pub struct Bulk<K: BulkWrite> {
    inner: Arc<Inner<K>>,
}

impl<K: BulkWrite> Clone for Bulk<K> {
    fn clone(&self) -> Self {
        Bulk { inner: self.inner.clone() }
    }
}

impl<K: BulkWrite> Bulk<K> {
    pub fn new(kind: K, writer: Writer) -> Self {
        Bulk { inner: Arc::new(Inner { kind, queue: Mutex::new(vec![]), writer }) }
    }

    /// Queues `input` and waits until the transaction that applied it has committed.
    pub async fn submit(&self, input: K::Input) -> AppResult<K::Output> {
        let (tx, rx) = oneshot::channel();
        let first = {
            let mut q = self.inner.queue.lock().map_err(|_| AppError::internal("bulk queue poisoned"))?;
            q.push((input, tx));
            q.len() == 1
        };
        // Whoever makes the queue non-empty asks a writer thread to drain it.
        if first {
            schedule(&self.inner)?;
        }
        self.inner
            .writer
            .within(async { rx.await.map_err(|_| AppError::internal("the database writer dropped a request"))? })
            .await
    }
}

fn schedule<K: BulkWrite>(inner: &Arc<Inner<K>>) -> AppResult<()> {
    let me = inner.clone();
    inner.writer.raw(Box::new(move |c, counts| drain(&me, c, counts)))
}

fn drain<K: BulkWrite>(inner: &Arc<Inner<K>>, conn: Result<&mut AnyConnection, AppError>, counts: &Counts) {
    let taken: Vec<Waiting<K>> = {
        let Ok(mut q) = inner.queue.lock() else { return };
        let n = q.len().min(MAX_BULK);
        let taken = q.drain(..n).collect();
        if !q.is_empty() {
            if let Err(e) = schedule(inner) {
                tracing::error!(error = %e, "cannot schedule the rest of a bulk");
            }
        }
        taken
    };
    if taken.is_empty() {
        return;
    }
    let (inputs, senders): (Vec<K::Input>, Vec<_>) = taken.into_iter().unzip();
    let c = match conn {
        Ok(c) => c,
        Err(e) => {
            // The database is away (no connection within the pool's wait): 503 for each.
            let why = e.to_string();
            for s in senders {
                let _ = s.send(Err(AppError::database_unavailable(why.clone())));
            }
            return;
        }
    };
    counts.transactions.fetch_add(1, Ordering::Relaxed);
    let together = in_tx(c, |c| inner.kind.many(c, &inputs));
    match together {
        Ok(outcomes) if outcomes.len() == inputs.len() => {
            let (mut later, mut done) = (vec![], vec![]);
            for ((input, sender), outcome) in inputs.into_iter().zip(senders).zip(outcomes) {
                match outcome {
                    Outcome::Done(r) => done.push((sender, r)),
                    Outcome::Alone => later.push((input, sender)),
                }
            }
            counts.jobs.fetch_add(done.len() as u64, Ordering::Relaxed);
            inner.writer.answer(Box::new(move || {
                for (sender, r) in done {
                    let _ = sender.send(r);
                }
            }));
            later.into_iter().for_each(|(i, s)| alone(&inner.kind, c, i, s, counts));
        }
        other => {
            if let Err(e) = other {
                tracing::debug!(error = %e, "a bulk write failed; its requests run one by one");
            }
            counts.fallbacks.fetch_add(1, Ordering::Relaxed);
            for (i, s) in inputs.into_iter().zip(senders) {
                alone(&inner.kind, c, i, s, counts);
            }
        }
    }
}

fn alone<K: BulkWrite>(
    kind: &K,
    c: &mut AnyConnection,
    input: K::Input,
    sender: oneshot::Sender<AppResult<K::Output>>,
    counts: &Counts,
) {
    counts.transactions.fetch_add(1, Ordering::Relaxed);
    counts.jobs.fetch_add(1, Ordering::Relaxed);
    let r = in_tx(c, |c| match kind.many(c, std::slice::from_ref(&input))?.pop() {
        Some(Outcome::Done(r)) => r,
        _ => Err(AppError::internal("a bulk write left a lone request unanswered")),
    });
    let _ = sender.send(r);
}
