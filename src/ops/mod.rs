//! Operations: health and readiness probes, Prometheus metrics, the request-id and access-log
//! middleware, and the load-test ceiling route.

pub mod fake_gateway;
pub mod metrics;
pub mod middleware;
pub mod routes;
