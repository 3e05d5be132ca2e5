//! The ledger's integrity: every deputy's hash chain recomputed from the entries, balances
//! recomputed, and the daily published digest of the chain heads.

mod heads;
mod routes;
mod verify;

pub use heads::publish_heads;
pub use routes::{published_heads, verify as verify_route};
pub use verify::{rebuild_balances, verify, verify_chain};
