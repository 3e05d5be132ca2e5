//! Pure rules of the feed: the catalogue of event types, the opaque cursor (a sequence number
//! and the client it was given to, under a MAC), the Standard Webhooks signature, and the page
//! and scan bounds, and the writing of stored events as CloudEvents JSON.

mod catalogue;
mod cursor;
pub mod render;
#[cfg(test)]
mod tests;
mod webhooks;

pub use catalogue::{parse_types, Type, ALL};
pub use cursor::{decode_cursor, encode_cursor};
#[cfg(test)]
use webhooks::sign;
pub use webhooks::{new_secret, signatures, verify, SECRET_PREFIX};

/// The most events a pull page holds.
pub const MAX_PAGE: i64 = 1000;
/// The default pull page.
pub const DEFAULT_PAGE: i64 = 100;
/// The most sequence numbers one page or one delivery scans for matching events: a client of
/// a small county in a busy province gets a short (even empty) page with a cursor further on,
/// never a long scan.
pub const SCAN: i64 = 20_000;
/// The most events in one webhook delivery (a CloudEvents JSON batch).
pub const BATCH: i64 = 500;
/// A subscription failing this long is paused.
pub const PAUSE_AFTER_HOURS: i64 = 24;

/// Whether an event of `path` lies in a client's subtree `scope`.
pub fn in_scope(scope: &str, path: &str) -> bool {
    path.starts_with(scope)
}
