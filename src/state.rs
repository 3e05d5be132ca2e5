//! Shared application state handed to every handler as `web::Data<AppState>`.

use crate::auth::KeySet;
use crate::config::Settings;
use crate::db::Db;
use crate::ops::Metrics;
use crate::platform::{Cache, Clock};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Rendered reads kept in memory, and the changes that make them stale (see
    /// [`crate::platform::views`]); every job of `db` runs inside them.
    pub views: crate::platform::views::Views,
    pub cache: Cache,
    pub settings: Arc<Settings>,
    pub keys: Arc<KeySet>,
    pub clock: Clock,
    pub metrics: Metrics,
    /// Verified against when a login names an unknown account, so timing does not tell.
    pub dummy_hash: Arc<String>,
    /// Access tokens this instance has verified (see [`crate::auth::TokenCache`]).
    pub tokens: crate::auth::TokenCache,
    /// Sessions ended lately, as this instance heard (see [`crate::auth::revocations`]).
    pub revocations: crate::auth::Revocations,
    /// Places of recent check-ins (see [`crate::checkins::venues`]).
    pub venues: crate::checkins::VenueCache,
    /// Check-ins waiting to be recorded in bulk (see [`crate::db::bulk`]).
    pub checkin_writes: crate::checkins::CheckinWrites,
    /// The push providers (and their HTTP client).
    pub push: crate::push::Providers,
    /// Where attachments are stored.
    pub files: crate::files::Storage,
    /// The SMS provider.
    pub sms: crate::sms::Provider,
    /// Open live streams on this instance, and the wake-ups that reach them.
    pub live: crate::live::Live,
    /// Direct awards waiting to be posted in bulk.
    pub award_writes: crate::ledger::DirectWrites,
    /// The keys that seal personal data at rest.
    pub pii: crate::platform::pii::Pii,
    /// Rule versions and top-list details kept in memory (see [`crate::ledger::cache`]).
    pub ledger: crate::ledger::LedgerCache,
    /// Opinions waiting to be filed in bulk.
    pub opinion_writes: crate::reception::FilingWrites,
}

impl AppState {
    /// Now, as stored in TIMESTAMP columns (UTC).
    pub fn now(&self) -> chrono::NaiveDateTime {
        crate::db::ts(self.clock.now())
    }
}
