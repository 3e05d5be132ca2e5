//! Rendered per-deputy reads kept in memory — the first page of the inbox, the unread badge, the
//! points statement — so that a phone polling them costs no database round trip.
//!
//! Correctness rests on three rules:
//! 1. Every write that changes what such a read shows notes it ([`touch`], in the store function
//!    that writes); the note is applied after the transaction commits (the database seam calls
//!    [`committed`]) and before the request is answered, so a deputy always reads their own writes.
//! 2. A read takes a stamp ([`Views::stamp`]) *before* it asks the database; an entry is served
//!    only when no change to its deputy (or to everyone) was applied after its stamp. A write that
//!    commits while the read is in flight therefore makes that read's entry stale at once.
//! 3. Changes are announced on the cache bus and applied by every instance; an instance serves
//!    entries only while it follows the bus (subscribed, everything before forgotten). Another
//!    instance learns of a change within the bus's delivery time. Writers that bypass the app
//!    (SQL by hand, the CLI) are seen when entries expire ([`ENTRY_TTL`]).
//!
//! A view that depends on the time (a notice expiring) carries the moment it stops being true.

use chrono::NaiveDateTime;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::mpsc;

/// Bus channel carrying applied changes (see [`encode`]).
pub const CHANNEL: &str = "views-changed";
/// The longest an entry lives: how stale a view can get after a write made outside the app.
pub const ENTRY_TTL: Duration = Duration::from_secs(30);
/// Slots of the table of changes (2 MB): see [`Touched`].
const TOUCHED_BITS: u32 = 18;
/// A rendering larger than this is not kept (a points statement of more than ~40 entries): a few
/// such would crowd out thousands of badges and pages, and memory is the budget that binds
/// (docs/PERFORMANCE.md).
pub const MAX_KEPT_BYTES: usize = 16 << 10;
/// What an entry costs besides its body (key, entry, the cache's own bookkeeping), for the budget.
const ENTRY_OVERHEAD: usize = 256;

/// What a group of views is about; a change names a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// The inbox: its pages and the unread count.
    Inbox,
    /// Ledger entries and balances: the points statement.
    Points,
}

impl Family {
    const ALL: [Family; 2] = [Family::Inbox, Family::Points];

    fn index(self) -> usize {
        self as usize
    }

    fn code(self) -> char {
        match self {
            Family::Inbox => 'i',
            Family::Points => 'p',
        }
    }
}

/// One kept read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    InboxPage,
    Unread,
    Points,
}

impl View {
    fn family(self) -> Family {
        match self {
            View::InboxPage | View::Unread => Family::Inbox,
            View::Points => Family::Points,
        }
    }
}

/// A change to what a family's views show: one deputy's, or (`None`) everyone's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touch {
    pub family: Family,
    pub deputy: Option<i64>,
}

struct Entry {
    stamp: u64,
    variant: u64,
    /// When the view stops being true by itself (a notice in it expires).
    until: Option<NaiveDateTime>,
    kept: Kept,
}

/// When each deputy's views last changed, per family, in a fixed table of slots: a slot holds the
/// latest change of every (family, deputy) hashed to it, so a collision can make a kept view look
/// changed (one more database read), never a changed one look kept. A change is one atomic max —
/// it is applied on the writer thread after every commit — and nothing needs to expire: an entry
/// is compared with the slot's stamp, and entries live [`ENTRY_TTL`] at most.
struct Touched(Box<[AtomicU64]>);

impl Touched {
    fn new() -> Self {
        Touched((0..1usize << TOUCHED_BITS).map(|_| AtomicU64::new(0)).collect())
    }

    fn slot(&self, family: Family, deputy: i64) -> &AtomicU64 {
        let key = (deputy as u64) ^ ((family.index() as u64) << 62);
        // Fibonacci hashing: the top bits of the product spread consecutive ids over the table.
        let i = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TOUCHED_BITS);
        &self.0[i as usize]
    }

    fn mark(&self, family: Family, deputy: i64, stamp: u64) {
        self.slot(family, deputy).fetch_max(stamp, Ordering::SeqCst);
    }

    fn last(&self, family: Family, deputy: i64) -> u64 {
        self.slot(family, deputy).load(Ordering::SeqCst)
    }
}

struct Inner {
    entries: moka::sync::Cache<(View, i64), Arc<Entry>>,
    touched: Touched,
    everyone: [AtomicU64; 2],
    seq: AtomicU64,
    following: AtomicBool,
    enabled: bool,
    /// Where changes to announce go (set once, by the follower; none in the CLI).
    outbox: OnceLock<mpsc::UnboundedSender<Vec<Touch>>>,
    /// Marks this instance's announcements, which it has applied already.
    origin: String,
    hits: AtomicU64,
}

/// This instance's kept views; cloning is cheap.
#[derive(Clone)]
pub struct Views(Arc<Inner>);

impl Views {
    /// Keeps at most `bytes` of rendered views (0 keeps none).
    pub fn new(bytes: u64) -> Self {
        // Changes noted in a transaction are applied when it commits.
        crate::db::hooks::on_commit(noting::committed, noting::nothing_noted);
        let entries = moka::sync::Cache::builder()
            .max_capacity(bytes)
            .weigher(|_: &(View, i64), e: &Arc<Entry>| {
                u32::try_from(e.kept.body.len() + ENTRY_OVERHEAD).unwrap_or(u32::MAX)
            })
            .time_to_live(ENTRY_TTL)
            .build();
        Views(Arc::new(Inner {
            entries,
            touched: Touched::new(),
            everyone: Default::default(),
            seq: AtomicU64::new(1),
            following: AtomicBool::new(false),
            enabled: bytes > 0,
            outbox: OnceLock::new(),
            origin: format!("o:{:016x}", rand::random::<u64>()),
            hits: AtomicU64::new(0),
        }))
    }

    /// Taken before a read asks the database; given back to [`Views::put`].
    pub fn stamp(&self) -> u64 {
        self.0.seq.load(Ordering::SeqCst)
    }

    /// Whether entries may be served: kept at all, and the bus followed.
    pub fn serving(&self) -> bool {
        self.0.enabled && self.0.following.load(Ordering::Acquire)
    }

    /// Reads served from memory since start (for `/metrics` and tests).
    pub fn hits(&self) -> u64 {
        self.0.hits.load(Ordering::Relaxed)
    }

    /// The kept rendering of `view` for `deputy`, if it is still true at `now`.
    pub fn get(&self, view: View, deputy: i64, variant: u64, now: NaiveDateTime) -> Option<Kept> {
        if !self.serving() {
            return None;
        }
        let e = self.0.entries.get(&(view, deputy))?;
        let family = view.family();
        let fresh = e.variant == variant
            && e.stamp >= self.0.everyone[family.index()].load(Ordering::SeqCst)
            && self.0.touched.last(family, deputy) <= e.stamp
            && e.until.is_none_or(|u| now < u);
        fresh.then(|| {
            self.0.hits.fetch_add(1, Ordering::Relaxed);
            e.kept.clone()
        })
    }

    /// Keeps a rendering read from the database after `stamp` was taken.
    pub fn put(&self, view: View, deputy: i64, variant: u64, stamp: u64, until: Option<NaiveDateTime>, kept: Kept) {
        if self.serving() && kept.body.len() <= MAX_KEPT_BYTES {
            self.0.entries.insert((view, deputy), Arc::new(Entry { stamp, variant, until, kept }));
        }
    }

    /// Applies changes: every entry they concern becomes stale (and is replaced by the next read,
    /// or expires); `announce` also tells the other instances (encoded off this thread: it is the
    /// writer's, after each commit).
    pub fn apply(&self, changes: Vec<Touch>, announce: bool) {
        for t in &changes {
            let s = self.0.seq.fetch_add(1, Ordering::SeqCst) + 1;
            match t.deputy {
                Some(d) => self.0.touched.mark(t.family, d, s),
                None => {
                    self.0.everyone[t.family.index()].fetch_max(s, Ordering::SeqCst);
                }
            }
        }
        if announce && !changes.is_empty() {
            if let Some(tx) = self.0.outbox.get() {
                let _ = tx.send(changes);
            }
        }
    }

    /// Every entry kept so far becomes stale (the bus was lost: changes may have been missed).
    fn forget_all(&self) {
        let all: Vec<Touch> = Family::ALL.iter().map(|&family| Touch { family, deputy: None }).collect();
        self.apply(all, false);
    }
}

/// `i:12,p:7,i:*` — family code and deputy id (or `*`), comma-separated.
pub fn encode(changes: &[Touch]) -> String {
    let parts: Vec<String> = changes
        .iter()
        .map(|t| match t.deputy {
            Some(d) => format!("{}:{d}", t.family.code()),
            None => format!("{}:*", t.family.code()),
        })
        .collect();
    parts.join(",")
}

/// Reads [`encode`]'s form; a part it does not understand counts as a change to everyone of the
/// family it names, or of every family (never fewer changes than were meant). A leading
/// `o:…` part names the announcing instance (see [`Views::own`]).
pub fn decode(s: &str) -> Vec<Touch> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.is_empty() && !p.starts_with("o:")) {
        let (f, d) = part.split_once(':').unwrap_or((part, "*"));
        let families: Vec<Family> = match Family::ALL.iter().find(|x| x.code().to_string() == f) {
            Some(x) => vec![*x],
            None => Family::ALL.to_vec(),
        };
        for family in families {
            out.push(Touch { family, deputy: d.parse().ok() });
        }
    }
    out
}

mod follow;
mod noting;
mod serve;
pub use follow::follow;
pub use noting::{adopt, committed, nothing_noted, touch, touch_all, touch_many, within};
pub use serve::{serve, variant, Kept};

#[cfg(test)]
mod tests;
