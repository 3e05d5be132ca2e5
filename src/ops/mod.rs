//! Operations: health and readiness probes, Prometheus metrics, the request-id and access-log
//! middleware, the load-test ceiling route, and the sealing passes over personal data.

pub mod fake_gateway;
pub mod metrics;
pub mod middleware;
pub mod pii;
pub mod routes;
