//! Standard Webhooks signatures (standardwebhooks.com): the signed content is
//! `{webhook-id}.{webhook-timestamp}.{body}`, signed with HMAC-SHA256 under the secret's bytes
//! (`whsec_` and base64); the `webhook-signature` header lists `v1,{base64}` signatures
//! separated by spaces — two while a rotated secret is still valid.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of a signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A secret of 32 random bytes, as handed to the receiver.
pub fn new_secret(random: [u8; 32]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random))
}

fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret)).ok()
}

/// `v1,{base64}`: one signature of a delivery under one secret (None for a malformed secret).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let mut m = Hmac::<Sha256>::new_from_slice(&key(secret)?).ok()?;
    m.update(format!("{id}.{timestamp}.").as_bytes());
    m.update(body);
    Some(format!("v1,{}", STANDARD.encode(m.finalize().into_bytes())))
}

/// The `webhook-signature` header: a signature under each secret given.
pub fn signatures(secrets: &[&str], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets.iter().filter_map(|s| sign(s, id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

/// Checks a delivery as a receiver does: one of the header's `v1` signatures matches under
/// `secret`, and the timestamp is within `tolerance` seconds of `now`.
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &[u8], header: &str, now: i64, tolerance: i64) -> bool {
    if (now - timestamp).abs() > tolerance {
        return false;
    }
    let Some(k) = key(secret) else { return false };
    header.split(' ').filter_map(|s| s.strip_prefix("v1,")).any(|sig| {
        let Ok(raw) = STANDARD.decode(sig) else { return false };
        let Ok(mut m) = Hmac::<Sha256>::new_from_slice(&k) else { return false };
        m.update(format!("{id}.{timestamp}.").as_bytes());
        m.update(body);
        m.verify_slice(&raw).is_ok()
    })
}
