//! Changes noted by the database job running on a thread, applied to that job's views when its
//! outermost transaction commits (see the parent module's rules).

use super::{Family, Touch, Views};
use std::cell::RefCell;

/// Past this many changes noted in one job, they count as a change to everyone.
pub(super) const COLLAPSE: usize = 10_000;

thread_local! {
    /// Changes noted by the database job running on this thread, not yet applied.
    pub(super) static NOTED: RefCell<Vec<Touch>> = const { RefCell::new(Vec::new()) };
    /// The views the job on this thread belongs to (set by the database seam).
    static CURRENT: RefCell<Option<Views>> = const { RefCell::new(None) };
}

fn note(t: Touch) {
    NOTED.with_borrow_mut(|v| {
        if v.len() >= COLLAPSE {
            let mut families: Vec<Family> = v.iter().map(|t| t.family).chain([t.family]).collect();
            families.sort_by_key(|f| f.index());
            families.dedup();
            *v = families.into_iter().map(|family| Touch { family, deputy: None }).collect();
        } else {
            v.push(t);
        }
    })
}

/// Notes (inside a database job) that it changes what `deputy`'s views of `family` show.
pub fn touch(family: Family, deputy: i64) {
    note(Touch { family, deputy: Some(deputy) })
}

/// Notes a change to several deputies' views.
pub fn touch_many(family: Family, deputies: impl IntoIterator<Item = i64>) {
    deputies.into_iter().for_each(|d| touch(family, d))
}

/// Notes a change to every deputy's views of `family`.
pub fn touch_all(family: Family) {
    note(Touch { family, deputy: None })
}

/// Applies the changes noted so far on this thread to the views of the running job (called after
/// a commit, and when a job ends). Without views (the CLI) they are dropped: nothing is kept.
pub fn committed() {
    let mut noted = NOTED.with_borrow_mut(std::mem::take);
    if noted.is_empty() {
        return;
    }
    // (A batch may name a deputy several times.)
    noted.sort_by_key(|t| (t.family.index(), t.deputy));
    noted.dedup();
    CURRENT.with_borrow(|c| {
        if let Some(v) = c {
            v.apply(noted, true);
        }
    })
}

/// Whether this thread noted no change (a short read must not write).
pub fn nothing_noted() -> bool {
    NOTED.with_borrow(|v| v.is_empty())
}

/// Runs a database job with `views` as the views its changes go to; applies what it noted.
pub fn within<T>(views: &Views, f: impl FnOnce() -> T) -> T {
    let before = CURRENT.with_borrow_mut(|c| c.replace(views.clone()));
    let out = f();
    committed();
    CURRENT.with_borrow_mut(|c| *c = before);
    out
}

/// Sets the views of this thread for good (a writer thread serves one database).
pub fn adopt(views: &Views) {
    CURRENT.with_borrow_mut(|c| *c = Some(views.clone()));
}

/// The kept views as the database toolkit sees them: every job runs with these views as its own.
impl crate::db::hooks::JobScope for Views {
    fn within(&self, job: &mut dyn FnMut()) {
        within(self, job)
    }

    fn adopt(&self) {
        adopt(self)
    }
}
