//! Shared application state handed to every handler as `web::Data<AppState>`.

use crate::auth::keys::KeySet;
use crate::config::Settings;
use crate::db::DbPool;
use crate::ops::metrics::Metrics;
use crate::platform::{Cache, Clock};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DbPool,
    pub cache: Cache,
    pub settings: Arc<Settings>,
    pub keys: Arc<KeySet>,
    pub clock: Clock,
    pub metrics: Metrics,
    /// Verified against when a login names an unknown account, so timing does not tell.
    pub dummy_hash: Arc<String>,
}

impl AppState {
    /// Now, as stored in TIMESTAMP columns (UTC).
    pub fn now(&self) -> chrono::NaiveDateTime {
        crate::db::ts(self.clock.now())
    }
}
