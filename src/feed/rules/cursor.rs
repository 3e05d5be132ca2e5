//! The pull cursor: opaque to clients, stable, and bound to the client it was given to. It
//! reads `base64url(seq ‖ client ‖ tag)`, where the tag is a MAC over both under the
//! installation's key; a forged, tampered or another client's cursor does not decode.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The cursor of sequence `seq` for `client`; `mac` keys the tag (16 bytes kept).
pub fn encode_cursor(seq: i64, client: i64, mac: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let mut b = Vec::with_capacity(32);
    b.extend_from_slice(&seq.to_be_bytes());
    b.extend_from_slice(&client.to_be_bytes());
    let tag = mac(&b);
    b.extend_from_slice(&tag[..16.min(tag.len())]);
    URL_SAFE_NO_PAD.encode(b)
}

/// The sequence a cursor stands for, when it is this client's and untouched.
pub fn decode_cursor(raw: &str, client: i64, mac: impl Fn(&[u8]) -> Vec<u8>) -> Option<i64> {
    let b = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
    if b.len() != 32 {
        return None;
    }
    let tag = mac(&b[..16]);
    // Constant-time comparison of the tags.
    let diff = tag.iter().take(16).zip(&b[16..]).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    if diff != 0 || tag.len() < 16 {
        return None;
    }
    let seq = i64::from_be_bytes(b[..8].try_into().ok()?);
    let owner = i64::from_be_bytes(b[8..16].try_into().ok()?);
    (owner == client && seq >= 0).then_some(seq)
}
