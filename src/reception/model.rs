//! API types of the constituents' sign-in.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// A mainland mobile number (`+86` and spaces allowed).
    pub phone: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeSent {
    /// Seconds the code works.
    pub expires_in: i64,
    /// Seconds before another code may be asked for this number.
    pub resend_after: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSignIn {
    pub phone: String,
    pub code: String,
    /// The privacy notice version the constituent agreed to (required at the first sign-in and
    /// after the notice changed).
    pub consent_version: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PrivacyNotice {
    pub version: String,
    pub text: String,
}
