//! Pure identity rules: the lockout gate and the refresh-token rotation decision.

use chrono::{Duration, NaiveDateTime};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const MAX_FAILED_LOGINS: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// A client that lost the answer to a refresh may retry the same token this long.
pub const RETRY_GRACE_SECS: i64 = 10;

/// Seconds the account stays locked, if it is.
pub fn locked_for(locked_until: Option<NaiveDateTime>, now: NaiveDateTime) -> Option<u64> {
    locked_until.filter(|u| *u > now).map(|u| (u - now).num_seconds().max(1) as u64)
}

/// After a wrong password: the new failure count and, at the limit, the lock's end.
pub fn after_failure(failed_before: i32, now: NaiveDateTime) -> (i32, Option<NaiveDateTime>) {
    let n = failed_before + 1;
    if n >= MAX_FAILED_LOGINS {
        (0, Some(now + Duration::minutes(LOCK_MINUTES)))
    } else {
        (n, None)
    }
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
    fn fifth_failure_locks() {
        let now = t0();
        assert_eq!(after_failure(3, now), (4, None));
        let (n, lock) = after_failure(4, now);
        assert_eq!(n, 0);
        assert_eq!(locked_for(lock, now), Some(900));
        assert_eq!(locked_for(lock, now + Duration::minutes(15)), None);
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
