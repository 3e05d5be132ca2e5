//! Awarding points: posting awards in bulk (caps, the hash chain, balances and totals in one
//! transaction), the consumer of point events, direct awards through the API, maker-checker
//! proposals, and reversals.

mod consume;
mod direct;
mod feed;
mod posting;
mod proposals;
mod routes;

pub use consume::{award, consume, consume_in, consume_pending, reverse};
pub use direct::{DirectAwards, Writes};
pub use posting::{post, stamp, Award};
pub use proposals::{propose_outcome, EventOutcome};
pub use routes::{award as award_route, decide, propose, reverse as reverse_route};
