//! How state kept outside the database follows its transactions without `db` naming who keeps
//! it. Every database job runs inside the [`JobScope`] its [`Db`](super::Db) was built with (the
//! kept views are one: changes a job notes go to that scope's views), and the commit hook set by
//! [`on_commit`] runs on the job's thread after each outermost commit.

use std::sync::{Arc, OnceLock};

/// What every database job of a [`Db`](super::Db) runs inside (see the module documentation).
pub trait JobScope: Send + Sync + 'static {
    /// Runs `job` on this thread inside the scope, once; what it noted is applied when it ends.
    fn within(&self, job: &mut dyn FnMut());
    /// The jobs of this thread belong to the scope for good (a writer thread serves one database).
    fn adopt(&self);
}

/// A scope that keeps nothing (tools and tests that keep no views).
pub struct NoScope;

impl JobScope for NoScope {
    fn within(&self, job: &mut dyn FnMut()) {
        job()
    }

    fn adopt(&self) {}
}

/// A shared scope, as a [`Db`](super::Db) holds it.
pub type Scope = Arc<dyn JobScope>;

struct Hooks {
    committed: fn(),
    clean: fn() -> bool,
}

static HOOKS: OnceLock<Hooks> = OnceLock::new();

/// Sets the commit hooks of the process (the first call wins): `committed` runs on a thread after
/// each outermost commit there, `clean` tells (in debug builds) that a short read noted nothing.
pub fn on_commit(committed: fn(), clean: fn() -> bool) {
    let _ = HOOKS.set(Hooks { committed, clean });
}

/// Runs the commit hook of this thread's job.
pub(super) fn committed() {
    if let Some(h) = HOOKS.get() {
        (h.committed)()
    }
}

/// Whether this thread's job noted nothing.
pub(super) fn clean() -> bool {
    HOOKS.get().is_none_or(|h| (h.clean)())
}

/// Runs `f` inside `scope`; `None` only when a scope broke its contract and skipped the job.
pub(super) fn within<T>(scope: &dyn JobScope, f: impl FnOnce() -> T) -> Option<T> {
    let (mut f, mut out) = (Some(f), None);
    scope.within(&mut || {
        if let Some(f) = f.take() {
            out = Some(f());
        }
    });
    out
}
