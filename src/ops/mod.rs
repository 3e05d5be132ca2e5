//! Operations: health and readiness probes, Prometheus metrics, the request-id and access-log
//! middleware, the load-test ceiling route, the sealing passes over personal data, and the
//! settings every instance on one database must share.

pub mod agreement;
pub mod fake_gateway;
pub mod metrics;
pub mod middleware;
pub mod pii;
pub mod routes;
