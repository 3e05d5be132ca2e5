//! Operations: health and readiness probes, Prometheus metrics, the request-id and access-log
//! middleware, the load-test ceiling route, the sealing passes over personal data, and the
//! settings every instance on one database must share.

mod agreement;
mod documents;
mod fake_gateway;
mod metrics;
mod middleware;
mod pii;
mod routes;

pub use middleware::observe;
pub use routes::{docs_redirect, not_found, register};

pub use agreement::check as check_agreement;
pub use documents::{export_feed, verify_archive, verify_feed, ExportFeed};
pub use fake_gateway::{serve_blocking as serve_fake_gateway, start as start_fake_gateway, Gateway};
pub use metrics::Metrics;
pub use pii::{rotate as rotate_pii, seal_legacy as seal_legacy_pii};
