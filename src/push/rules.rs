//! Pure push rules: dedup ids, retry backoff, quiet hours, and how a provider's answer is read.

use chrono::{NaiveDateTime, NaiveTime, TimeZone};
use std::time::Duration;

/// The same for every attempt of one send, so a provider drops a repeat after a crash.
pub fn dedup_id(notice: i64, device: i64, round: i32) -> String {
    format!("lvzhi-n{notice}-d{device}-r{round}")
}

/// Wait before attempt `attempts + 1`: 2^attempts seconds (at most an hour), ±20 % jitter
/// (`jitter` in 0..1), never less than the provider's `Retry-After`.
pub fn backoff(attempts: i32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let base = 2f64.powi(attempts.clamp(0, 12)).min(3600.0);
    let spread = base * (0.8 + 0.4 * jitter.clamp(0.0, 1.0));
    let d = Duration::from_millis((spread * 1000.0) as u64);
    retry_after.map_or(d, |r| d.max(r))
}

/// What a provider's answer means for one push.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Taken by the provider.
    Accepted,
    /// Try again later (429, 5xx, timeouts, unreadable answers), not before `after`.
    Retry { after: Option<Duration>, error: String },
    /// The device token is dead (410, unregistered): disable the device, drop the push.
    Gone(String),
    /// Refused for good (other 4xx): a dead letter.
    Failed(String),
}

/// Reads an HTTP status (and `Retry-After` seconds) the way every provider does.
pub fn classify(status: u16, retry_after: Option<u64>, body: &str) -> Outcome {
    let short: String = body.chars().take(200).collect();
    match status {
        200..=299 => Outcome::Accepted,
        410 => Outcome::Gone(format!("410: {short}")),
        404 | 400 if short.to_lowercase().contains("unregistered") || short.to_lowercase().contains("badtoken") => Outcome::Gone(format!("{status}: {short}")),
        429 | 500..=599 | 408 => Outcome::Retry { after: retry_after.map(Duration::from_secs), error: format!("{status}: {short}") },
        _ => Outcome::Failed(format!("{status}: {short}")),
    }
}

/// How far ahead of normal pushes an urgent one is queued: claims take the earliest `next_at`
/// first, so an urgent push goes before every normal push queued within this span (a national
/// notice's backlog included), with no index of its own.
pub const URGENT_AHEAD_HOURS: i64 = 24;

/// The `next_at` of an urgent push queued at `now` (it is due at once either way).
pub fn urgent_at(now: NaiveDateTime) -> NaiveDateTime {
    now - chrono::Duration::hours(URGENT_AHEAD_HOURS)
}

/// Quiet hours `(from, to)` in the congress time zone, e.g. 22:00–07:00; the moment a normal
/// push may go (now, or the end of the quiet hours).
pub fn after_quiet_hours(now: NaiveDateTime, quiet: Option<(NaiveTime, NaiveTime)>, tz: chrono_tz::Tz) -> NaiveDateTime {
    let Some((from, to)) = quiet else { return now };
    let local = tz.from_utc_datetime(&now);
    let t = local.time();
    let quiet_now = if from <= to { t >= from && t < to } else { t >= from || t < to };
    if !quiet_now {
        return now;
    }
    let day = if from > to && t >= from { local.date_naive() + chrono::Duration::days(1) } else { local.date_naive() };
    tz.from_local_datetime(&day.and_time(to)).earliest().map(|x| x.naive_utc()).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgent_pushes_sort_before_a_days_normal_backlog() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap().naive_utc();
        let backlog = now - chrono::Duration::hours(23);
        assert!(urgent_at(now) < backlog && urgent_at(now) <= now);
    }

    #[test]
    fn backoff_grows_jitters_and_honours_retry_after() {
        assert_eq!(backoff(0, None, 0.5), Duration::from_secs(1));
        assert_eq!(backoff(3, None, 0.5), Duration::from_secs(8));
        assert!(backoff(3, None, 0.0) >= Duration::from_millis(6400) && backoff(3, None, 1.0) <= Duration::from_millis(9600));
        assert_eq!(backoff(20, None, 0.5), Duration::from_secs(3600));
        assert_eq!(backoff(0, Some(Duration::from_secs(30)), 0.5), Duration::from_secs(30));
    }

    #[test]
    fn answers_are_read_alike() {
        assert_eq!(classify(200, None, ""), Outcome::Accepted);
        assert_eq!(classify(429, Some(7), ""), Outcome::Retry { after: Some(Duration::from_secs(7)), error: "429: ".into() });
        assert!(matches!(classify(503, None, "down"), Outcome::Retry { .. }));
        assert!(matches!(classify(410, None, ""), Outcome::Gone(_)));
        assert!(matches!(classify(400, None, "{\"reason\":\"BadToken\"}"), Outcome::Gone(_)));
        assert!(matches!(classify(403, None, "nope"), Outcome::Failed(_)));
    }

    #[test]
    fn quiet_hours_hold_until_morning() {
        let tz = chrono_tz::Asia::Shanghai;
        let q = Some((NaiveTime::from_hms_opt(22, 0, 0).unwrap(), NaiveTime::from_hms_opt(7, 0, 0).unwrap()));
        let at = |d: u32, h: u32| tz.with_ymd_and_hms(2026, 11, d, h, 30, 0).unwrap().naive_utc();
        assert_eq!(after_quiet_hours(at(25, 23), q, tz), tz.with_ymd_and_hms(2026, 11, 26, 7, 0, 0).unwrap().naive_utc());
        assert_eq!(after_quiet_hours(at(26, 3), q, tz), tz.with_ymd_and_hms(2026, 11, 26, 7, 0, 0).unwrap().naive_utc());
        assert_eq!(after_quiet_hours(at(26, 12), q, tz), at(26, 12));
        assert_eq!(after_quiet_hours(at(26, 23), None, tz), at(26, 23));
    }
}
