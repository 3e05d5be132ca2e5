//! Integration tests through real HTTP against the real app, on SQLite by default and on
//! PostgreSQL + Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod appointments;
mod archive;
mod auth;
mod authz;
mod checkins;
mod cli;
mod crash;
mod crash_awards;
mod delivery;
mod directory;
mod errors;
mod evaluation;
mod events;
mod fake_gateway;
mod faults;
mod helpers;
mod import;
mod kiosk_browser;
mod ledger;
mod notices;
mod openapi;
mod opinion_cases;
mod ops;
mod pii;
mod platform;
mod providers;
mod proxy;
mod rankings;
mod reception;
mod scale;
mod ssrf;
mod suggestions;
mod views;
