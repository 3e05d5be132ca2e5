//! The live stream: things that happened for deputies (a notice published to them, retracted,
//! a reminder, a leave decided) and for constituents (their case changed, a new answer), kept in `live_events` — one row per happening, not one per
//! deputy — and delivered as Server-Sent Events. Each instance wakes its open streams through
//! an in-process broadcast; instances tell each other through the cache bus (Redis
//! publish/subscribe). When Redis is down an instance still wakes its own streams. What the bus
//! lost is found again: when an instance follows the bus again after a gap, and every
//! `LVZHI_LIVE_RECHECK_SECS` when the database holds an event newer than any this instance heard
//! of, every open stream looks for its events once more.

mod routes;
mod store;
mod wake;

pub use wake::{announce, follow, recheck, Live, Wake};

pub use routes::register;

pub use store::{purge, record, record_for_account, record_many};
