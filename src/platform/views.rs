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

use crate::error::{AppError, AppResult};
use actix_web::http::header::{ContentType, ETAG, IF_NONE_MATCH};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// Bus channel carrying applied changes (see [`encode`]).
pub const CHANNEL: &str = "views-changed";
/// The longest an entry lives: how stale a view can get after a write made outside the app.
pub const ENTRY_TTL: Duration = Duration::from_secs(30);
/// How long a change to one deputy is remembered (longer than any entry lives).
const TOUCH_TTL: Duration = Duration::from_secs(120);
/// Past this many changes noted in one job, they count as a change to everyone.
const COLLAPSE: usize = 10_000;
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

    fn views(self) -> &'static [View] {
        match self {
            Family::Inbox => &[View::InboxPage, View::Unread],
            Family::Points => &[View::Points],
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

thread_local! {
    /// Changes noted by the database job running on this thread, not yet applied.
    static NOTED: RefCell<Vec<Touch>> = const { RefCell::new(Vec::new()) };
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
    // (Ledger writes name each deputy twice: entries, then balances.)
    noted.sort_by_key(|t| (t.family.index(), t.deputy));
    noted.dedup();
    CURRENT.with_borrow(|c| {
        if let Some(v) = c {
            v.apply(&noted, true);
        }
    })
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

struct Entry {
    stamp: u64,
    variant: u64,
    /// When the view stops being true by itself (a notice in it expires).
    until: Option<NaiveDateTime>,
    kept: Kept,
}

struct Inner {
    entries: moka::sync::Cache<(View, i64), Arc<Entry>>,
    touched: moka::sync::Cache<(Family, i64), u64>,
    everyone: [AtomicU64; 2],
    seq: AtomicU64,
    following: AtomicBool,
    enabled: bool,
    outbox: Mutex<Option<mpsc::UnboundedSender<String>>>,
    hits: AtomicU64,
}

/// This instance's kept views; cloning is cheap.
#[derive(Clone)]
pub struct Views(Arc<Inner>);

impl Views {
    /// Keeps at most `bytes` of rendered views (0 keeps none).
    pub fn new(bytes: u64) -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(bytes)
            .weigher(|_: &(View, i64), e: &Arc<Entry>| u32::try_from(e.kept.body.len() + ENTRY_OVERHEAD).unwrap_or(u32::MAX))
            .time_to_live(ENTRY_TTL)
            .build();
        Views(Arc::new(Inner {
            entries,
            touched: moka::sync::Cache::builder().max_capacity(2_000_000).time_to_live(TOUCH_TTL).build(),
            everyone: Default::default(),
            seq: AtomicU64::new(1),
            following: AtomicBool::new(false),
            enabled: bytes > 0,
            outbox: Mutex::new(None),
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
            && self.0.touched.get(&(family, deputy)).is_none_or(|t| t <= e.stamp)
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

    /// Applies changes: every entry they concern becomes stale; `announce` also tells the other
    /// instances.
    pub fn apply(&self, changes: &[Touch], announce: bool) {
        for t in changes {
            let s = self.0.seq.fetch_add(1, Ordering::SeqCst) + 1;
            match t.deputy {
                Some(d) => {
                    self.0.touched.insert((t.family, d), s);
                    for v in t.family.views() {
                        self.0.entries.invalidate(&(*v, d));
                    }
                }
                None => {
                    self.0.everyone[t.family.index()].fetch_max(s, Ordering::SeqCst);
                }
            }
        }
        if announce && !changes.is_empty() {
            if let Ok(Some(tx)) = self.0.outbox.lock().as_deref() {
                let _ = tx.send(encode(changes));
            }
        }
    }

    /// Every entry kept so far becomes stale (the bus was lost: changes may have been missed).
    fn forget_all(&self) {
        let all: Vec<Touch> = Family::ALL.iter().map(|&family| Touch { family, deputy: None }).collect();
        self.apply(&all, false);
    }
}

/// Serves `view` of `deputy` from memory when it is still true at `now`; otherwise runs `load`
/// (the value, and when it stops being true by itself), keeps its rendering and serves that.
/// `variant` tells apart the forms of one view (a year, a page); only the last one is kept.
/// The answer carries a strong ETag (a hash of the bytes, the same on every instance); a request
/// whose `If-None-Match` names it gets 304 without a body — a phone polling on a slow network
/// downloads the page again only when it changed.
pub async fn serve<T, Fut>(
    req: &HttpRequest,
    views: &Views,
    view: View,
    deputy: i64,
    variant: u64,
    now: NaiveDateTime,
    load: impl FnOnce() -> Fut,
) -> AppResult<HttpResponse>
where
    T: serde::Serialize,
    Fut: std::future::Future<Output = AppResult<(T, Option<NaiveDateTime>)>>,
{
    let answer = |kept: Kept| {
        if not_modified(req, &kept.tag) {
            return HttpResponse::NotModified().insert_header((ETAG, kept.tag)).finish();
        }
        HttpResponse::Ok().content_type(ContentType::json()).insert_header((ETAG, kept.tag)).body(kept.body)
    };
    if let Some(kept) = views.get(view, deputy, variant, now) {
        return Ok(answer(kept));
    }
    let stamp = views.stamp();
    let (value, until) = load().await?;
    let body = Bytes::from(serde_json::to_vec(&value).map_err(AppError::internal)?);
    let kept = Kept { tag: tag_of(&body), body };
    views.put(view, deputy, variant, stamp, until, kept.clone());
    Ok(answer(kept))
}

/// A kept rendering and its ETag.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub body: Bytes,
    pub tag: String,
}

/// The strong ETag of a rendering: a hash of its bytes (SipHash with fixed keys, so every
/// instance of one build gives the same tag).
fn tag_of(body: &[u8]) -> String {
    format!("\"v-{:016x}\"", variant(body))
}

/// Whether the request's `If-None-Match` names `tag` (or is `*`).
fn not_modified(req: &HttpRequest, tag: &str) -> bool {
    let given = req.headers().get(IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    given.is_some_and(|v| v.split(',').map(str::trim).any(|t| t == "*" || t.trim_start_matches("W/") == tag))
}

/// A variant number for a view's parameters.
pub fn variant(of: impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(of)
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
/// family it names, or of every family (never fewer changes than were meant).
pub fn decode(s: &str) -> Vec<Touch> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
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
pub use follow::follow;

#[cfg(test)]
mod tests;
