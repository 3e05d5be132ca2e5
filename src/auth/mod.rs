//! Identity: accounts and their credentials, password hashing, JWT access tokens (Ed25519 with
//! `kid`, JWKS), rotating refresh tokens, the [`Principal`] extractor and the one access policy.

pub mod accounts;
pub mod jwt;
pub mod keys;
pub mod model;
pub mod password;
pub mod policy;
pub mod principal;
pub mod revocations;
pub mod routes;
pub mod rules;
pub mod session;
pub mod store;

pub use principal::{Principal, RequestMeta, Role};
pub use store::{by_id as account_by_id, insert_account, purge_expired as purge_expired_sessions, set_username, NewAccount};
