//! Short-lived signed download links: `?exp=<unix seconds>&kid=<key>&sig=<base64url>`, an
//! Ed25519 signature by the installation's signing key over the file and the expiry, so any
//! instance can check a link another one gave out, and a link cannot be stretched or moved.

use crate::auth::KeySet;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use utoipa::IntoParams;

/// How long a link works.
pub const LINK_SECS: i64 = 600;

#[derive(Debug, Deserialize, IntoParams)]
pub struct LinkQuery {
    /// Expiry (Unix seconds).
    pub exp: i64,
    pub kid: String,
    pub sig: String,
}

fn message(kind: &str, id: i64, exp: i64) -> Vec<u8> {
    format!("lvzhi-file:{kind}:{id}:{exp}").into_bytes()
}

/// The query string of a link to file `id` of `kind` until `exp`.
pub fn sign(keys: &KeySet, kind: &str, id: i64, exp: i64) -> String {
    let (kid, sig) = keys.sign(&message(kind, id, exp));
    format!("exp={exp}&kid={kid}&sig={}", URL_SAFE_NO_PAD.encode(sig))
}

/// Whether the link is ours, for this file, and not expired at `now`.
pub fn verify(keys: &KeySet, kind: &str, id: i64, q: &LinkQuery, now: i64) -> bool {
    if q.exp < now || q.sig.len() > 200 {
        return false;
    }
    let Ok(sig) = URL_SAFE_NO_PAD.decode(q.sig.as_bytes()) else { return false };
    keys.verify_document(&q.kid, &message(kind, id, q.exp), &sig)
}
