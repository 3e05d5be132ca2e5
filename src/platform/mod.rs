//! Adapters the capabilities share: the settable clock, the cache and bus seam (Redis or
//! in-process), fixed-window rate limiting on top of it, and the sealing of personal data.

pub mod cache;
pub mod client_ip;
pub mod clock;
pub mod csv_out;
pub mod idempotency;
pub mod jobs;
pub mod loopback;
pub mod memory;
pub mod outbound;
pub mod outbox;
pub mod pii;
pub mod ratelimit;
pub mod redis_cache;
mod redis_scripts;
pub mod route_table;
pub mod views;
pub mod zset;

pub use cache::Cache;
pub use clock::Clock;
