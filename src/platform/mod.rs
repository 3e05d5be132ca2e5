//! Adapters the capabilities share: the settable clock, the cache and bus seam (Redis or
//! in-process), and fixed-window rate limiting on top of it.

pub mod cache;
pub mod clock;
pub mod idempotency;
pub mod memory;
pub mod outbound;
pub mod ratelimit;
pub mod redis_cache;
pub mod zset;

pub use cache::Cache;
pub use clock::Clock;
