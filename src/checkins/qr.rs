//! Rotating station QR tokens: `{kind}{id}.{window}.{mac}` where the MAC is HMAC-SHA256 over
//! (kind, id, 30-second window) with the station's (or event's) secret, cut to 96 bits. About 30
//! characters: a cheap phone camera reads it from a tablet. Rotating the secret kills old tokens.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const WINDOW_SECS: i64 = 30;
/// A clock a little ahead on the kiosk is tolerated this much.
const FUTURE_SKEW_SECS: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Station(i64),
    Event(i64),
}

impl Place {
    fn tag(&self) -> (char, i64) {
        match self {
            Place::Station(id) => ('s', *id),
            Place::Event(id) => ('e', *id),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrError {
    /// Not a token of ours at all.
    Malformed,
    /// A token of another station or event.
    WrongPlace,
    /// The MAC does not match (tampered, or the secret was rotated).
    Tampered,
    Expired,
    FromTheFuture,
}

impl QrError {
    pub fn code(&self) -> &'static str {
        match self {
            QrError::Malformed => "qr_malformed",
            QrError::WrongPlace => "qr_wrong_place",
            QrError::Tampered => "qr_invalid",
            QrError::Expired => "qr_expired",
            QrError::FromTheFuture => "qr_from_future",
        }
    }
}

fn mac(secret: &[u8], place: Place, window: i64) -> String {
    let (k, id) = place.tag();
    // HMAC accepts keys of any length; this cannot fail.
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret) else { return String::new() };
    m.update(format!("lvzhi-qr|{k}|{id}|{window}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&m.finalize().into_bytes()[..12])
}

pub fn window_of(unix: i64) -> i64 {
    unix.div_euclid(WINDOW_SECS)
}

/// The token for `place` at `unix` time, and when it stops being the current one.
pub fn issue(secret: &[u8], place: Place, unix: i64) -> (String, i64) {
    let w = window_of(unix);
    let (k, id) = place.tag();
    (format!("{k}{id}.{w}.{}", mac(secret, place, w)), (w + 1) * WINDOW_SECS)
}

/// The place a token claims to be for (to look up its secret), without trusting it yet.
pub fn claimed_place(token: &str) -> Option<Place> {
    let mut head = token.split('.').next()?.chars();
    let k = head.next()?;
    let id: i64 = head.as_str().parse().ok()?;
    match k {
        's' => Some(Place::Station(id)),
        'e' => Some(Place::Event(id)),
        _ => None,
    }
}

/// Verifies a token for `expected` at `unix` time: the current or previous window, plus `grace_secs`.
pub fn verify(secret: &[u8], expected: Place, token: &str, unix: i64, grace_secs: i64) -> Result<(), QrError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [_, w, m] = parts.as_slice() else { return Err(QrError::Malformed) };
    let place = claimed_place(token).ok_or(QrError::Malformed)?;
    let w: i64 = w.parse().map_err(|_| QrError::Malformed)?;
    if place != expected {
        return Err(QrError::WrongPlace);
    }
    let good = mac(secret, place, w);
    // Constant-time comparison of the MACs.
    let same = good.len() == m.len() && good.bytes().zip(m.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same {
        return Err(QrError::Tampered);
    }
    // (A window number no clock will reach is from the future, not an overflow.)
    let start = w.checked_mul(WINDOW_SECS).ok_or(QrError::FromTheFuture)?;
    if start > unix.saturating_add(FUTURE_SKEW_SECS) {
        return Err(QrError::FromTheFuture);
    }
    // Valid through its own window and the next one, plus the grace.
    if unix >= start.saturating_add(2 * WINDOW_SECS).saturating_add(grace_secs) {
        return Err(QrError::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_tokens_found_by_fuzzing_are_refused_not_panicked_on() {
        // (cargo fuzz run qr_token: an empty token and a multibyte first character panicked.)
        for t in ["", ".", "中1.2.3", "s", "s.1.2", "\u{feff}s1.1.x"] {
            assert_eq!(claimed_place(t), None, "{t:?}");
            assert!(verify(b"k", Place::Station(1), t, 1_790_000_000, 20).is_err(), "{t:?}");
        }
        // A window number no clock reaches, with a MAC that matches: from the future.
        let w = i64::MAX;
        let t = format!("s1.{w}.{}", mac(b"k", Place::Station(1), w));
        assert_eq!(verify(b"k", Place::Station(1), &t, 1_790_000_000, 20), Err(QrError::FromTheFuture));
        let w = i64::MIN;
        let t = format!("s1.{w}.{}", mac(b"k", Place::Station(1), w));
        assert!(verify(b"k", Place::Station(1), &t, 1_790_000_000, 20).is_err());
    }

    const S: &[u8] = b"0123456789abcdef0123456789abcdef";
    const T: i64 = 1_800_000_010;

    #[test]
    fn current_previous_and_grace() {
        let (tok, exp) = issue(S, Place::Station(7), T);
        assert!(tok.len() <= 40, "{tok}");
        assert_eq!(exp, 1_800_000_030);
        assert_eq!(verify(S, Place::Station(7), &tok, T, 20), Ok(()));
        assert_eq!(verify(S, Place::Station(7), &tok, T + 40, 20), Ok(()));
        assert_eq!(verify(S, Place::Station(7), &tok, 1_800_000_060 + 19, 20), Ok(()));
        assert_eq!(verify(S, Place::Station(7), &tok, 1_800_000_060 + 20, 20), Err(QrError::Expired));
    }

    #[test]
    fn wrong_place_tampered_future_rotated() {
        let (tok, _) = issue(S, Place::Station(7), T);
        assert_eq!(verify(S, Place::Station(8), &tok, T, 20), Err(QrError::WrongPlace));
        assert_eq!(verify(S, Place::Event(7), &tok, T, 20), Err(QrError::WrongPlace));
        let mut bad = tok.clone();
        bad.pop();
        bad.push(if tok.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(verify(S, Place::Station(7), &bad, T, 20), Err(QrError::Tampered));
        let (future, _) = issue(S, Place::Station(7), T + 300);
        assert_eq!(verify(S, Place::Station(7), &future, T, 20), Err(QrError::FromTheFuture));
        assert_eq!(verify(b"another secret", Place::Station(7), &tok, T, 20), Err(QrError::Tampered));
        assert_eq!(verify(S, Place::Station(7), "garbage", T, 20), Err(QrError::Malformed));
    }
}
