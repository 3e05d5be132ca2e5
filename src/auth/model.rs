//! Request and response types of the identity routes.

use super::principal::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Username or phone number.
    pub username: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// OAuth 2.0 client-credentials grant (form-encoded; HTTP Basic also accepted for the client).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ClientTokenForm {
    /// Must be `client_credentials`.
    pub grant_type: String,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Space-separated scopes; defaults to all the client holds.
    pub scope: Option<String>,
}

pub use crate::org::RegionRef;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub display_name: String,
    /// Scope region; absent = the whole installation.
    pub region: Option<RegionRef>,
    pub station_ids: Vec<i64>,
    pub deputy_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub scopes: Vec<String>,
    pub disabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountCreate {
    pub username: String,
    /// For `client` accounts leave it out: a secret is generated and returned once.
    pub password: Option<String>,
    pub role: Role,
    pub display_name: String,
    pub region_id: Option<i64>,
    #[serde(default)]
    pub station_ids: Vec<i64>,
    pub deputy_id: Option<i64>,
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountCreated {
    #[serde(flatten)]
    pub account: AccountView,
    /// The generated client secret, shown only once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// A client secret rotation.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateSecret {
    /// Hours the old secret keeps working (0–168, default 24).
    pub overlap_hours: Option<i64>,
}

/// A client's new secret, shown only once.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientSecret {
    pub client_secret: String,
    /// Until when the previous secret still works.
    pub previous_valid_until: Option<chrono::DateTime<chrono::Utc>>,
}
