//! Access tokens: EdDSA JWTs with `kid`, 15 minutes by default. `iss`, `aud`, `sub`, `exp`, `iat`
//! and `typ` are required; expiry is checked against the application [`Clock`](crate::platform::Clock).

use super::keys::KeySet;
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ACCESS: &str = "access";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub typ: String,
    pub role: String,
    /// Region of the account's scope (absent = whole installation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rgn: Option<i64>,
    /// Materialized path of that region ("/1/4/"), used for subtree checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rp: Option<String>,
    /// Not before (we never set it; a token that carries it is held to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stn: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dep: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Refresh-token family (session); logout revokes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

pub fn sign(keys: &KeySet, claims: &AccessClaims) -> Result<String, String> {
    let mut h = Header::new(Algorithm::EdDSA);
    h.kid = Some(keys.kid.clone());
    h.typ = Some("JWT".into());
    jsonwebtoken::encode(&h, claims, &keys.encoding).map_err(|e| e.to_string())
}

/// Verifies signature, algorithm, `kid`, issuer, audience, token type and expiry at `now`.
pub fn verify(
    keys: &KeySet,
    token: &str,
    issuer: &str,
    audience: &str,
    now: i64,
) -> Result<AccessClaims, &'static str> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| "malformed token")?;
    if header.alg != Algorithm::EdDSA {
        return Err("unexpected algorithm");
    }
    let kid = header.kid.ok_or("token has no kid")?;
    let key = keys.decoding.get(&kid).ok_or("unknown kid")?;
    let mut v = Validation::new(Algorithm::EdDSA);
    v.set_issuer(&[issuer]);
    v.set_audience(&[audience]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // Expiry is checked below against the application clock.
    v.validate_exp = false;
    v.leeway = 0;
    let data = jsonwebtoken::decode::<AccessClaims>(token, key, &v).map_err(|_| "invalid token")?;
    let c = data.claims;
    if c.typ != ACCESS {
        return Err("not an access token");
    }
    if c.exp <= now {
        return Err("token expired");
    }
    if c.nbf.is_some_and(|n| n > now) {
        return Err("token not yet valid");
    }
    if c.iat > now + 60 {
        return Err("token issued in the future");
    }
    Ok(c)
}
