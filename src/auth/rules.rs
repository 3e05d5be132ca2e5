//! Pure identity rules: the sign-in throttle's keys and the refresh-token rotation decision.

use chrono::{Duration, NaiveDateTime};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Wrong passwords allowed per (account name, client address) in one window before that pair
/// waits for the next window. Keyed by the name as typed, so unknown and real accounts answer
/// alike, and by the address, so a stranger elsewhere cannot lock a deputy out.
pub const MAX_FAILED_LOGINS: u64 = 5;
pub const THROTTLE_WINDOW_SECS: i64 = 900;
/// A client that lost the answer to a refresh may retry the same token this long.
pub const RETRY_GRACE_SECS: i64 = 10;

/// The cache key counting wrong passwords for a name from an address in the window of `now`
/// (the name hashed: no account names in cache keys), and the seconds left in that window.
pub fn throttle_key(username: &str, ip: &str, now: i64) -> (String, u64) {
    let name = hex::encode(&Sha256::digest(username.trim().to_lowercase().as_bytes())[..12]);
    let window = now.div_euclid(THROTTLE_WINDOW_SECS);
    (format!("login-fail:{name}:{ip}:{window}"), ((window + 1) * THROTTLE_WINDOW_SECS - now).max(1) as u64)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDecision {
    /// Fresh token: rotate it.
    Rotate,
    /// The token was just rotated and its successor never used: the client lost the answer; rotate again.
    Retry,
    /// An old token came back: someone else has it. Revoke the whole family.
    Reuse,
    Expired,
    Revoked,
}

pub struct RefreshState {
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn decide_refresh(t: &RefreshState, successor_used: bool, now: NaiveDateTime) -> RefreshDecision {
    if t.revoked_at.is_some() {
        return RefreshDecision::Revoked;
    }
    match t.used_at {
        None if t.expires_at <= now => RefreshDecision::Expired,
        None => RefreshDecision::Rotate,
        Some(used) if !successor_used && now - used <= Duration::seconds(RETRY_GRACE_SECS) => RefreshDecision::Retry,
        Some(_) => RefreshDecision::Reuse,
    }
}

/// 256 random bits, URL-safe.
pub fn new_opaque_token() -> String {
    use base64::Engine;
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Refresh tokens are stored as SHA-256 (they carry 256 bits of entropy; no salt needed).
pub fn hash_token(t: &str) -> String {
    hex::encode(Sha256::digest(t.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap().naive_utc()
    }

    #[test]
    fn throttle_keys_ignore_case_and_split_by_address() {
        let (a, left) = throttle_key("Admin", "1.2.3.4", 1_800_000_100);
        assert_eq!(a, throttle_key(" admin", "1.2.3.4", 1_800_000_000).0);
        assert_ne!(a, throttle_key("admin", "1.2.3.5", 1_800_000_100).0);
        assert!(!a.contains("admin"));
        assert_eq!(left, 800);
    }

    #[test]
    fn refresh_decisions() {
        let now = t0();
        let fresh = RefreshState { expires_at: now + Duration::days(1), used_at: None, revoked_at: None };
        assert_eq!(decide_refresh(&fresh, false, now), RefreshDecision::Rotate);
        let used = RefreshState { used_at: Some(now - Duration::seconds(3)), ..fresh };
        assert_eq!(decide_refresh(&used, false, now), RefreshDecision::Retry);
        assert_eq!(decide_refresh(&used, true, now), RefreshDecision::Reuse);
        assert_eq!(decide_refresh(&used, false, now + Duration::minutes(1)), RefreshDecision::Reuse);
        let expired = RefreshState { expires_at: now, used_at: None, revoked_at: None };
        assert_eq!(decide_refresh(&expired, false, now), RefreshDecision::Expired);
    }
}
