//! Identity: accounts and their credentials, password hashing, JWT access tokens (Ed25519 with
//! `kid`, JWKS), rotating refresh tokens, the [`Principal`] extractor and the one access policy.

mod jwt;
mod keys;
mod model;
mod password;
pub mod policy;
mod principal;
mod revocations;
mod routes;
mod rules;
mod session;
mod store;

pub use routes::register;

pub use principal::{Principal, RequestMeta, Role};
pub use store::{
    by_id as account_by_id, by_username as account_by_username, insert_account,
    purge_expired as purge_expired_sessions, set_username, NewAccount,
};

pub use jwt::{sign as sign_token, AccessClaims, ACCESS};
pub use keys::{generate as generate_keys, rotate as rotate_keys, KeySet};
pub use model::TokenResponse;
pub use password::{dummy_hash as dummy_password_hash, hash as hash_password};
pub use principal::{RequestId, TokenCache};
pub use revocations::{follow as follow_revocations, Revocations};
pub use session::open as open_session;

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::{by_username, insert_account, NewAccount};
}
