//! Pure rules of every outbox: how a provider's HTTP answer is read, how long to wait before the
//! next attempt, and what becomes of a row after an attempt.

use chrono::NaiveDateTime;
use std::time::Duration;

/// What a provider's answer means for one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Taken by the provider.
    Accepted,
    /// Try again later (429, 5xx, timeouts, unreadable answers), not before `after`.
    Retry { after: Option<Duration>, error: String },
    /// The address is dead (410, an unregistered device token): drop the message.
    Gone(String),
    /// Refused for good (other 4xx): a dead letter.
    Failed(String),
}

/// Reads an HTTP status (and `Retry-After` seconds) the way every provider does.
pub fn classify(status: u16, retry_after: Option<u64>, body: &str) -> Outcome {
    let short: String = body.chars().take(200).collect();
    let lower = short.to_lowercase();
    match status {
        200..=299 => Outcome::Accepted,
        410 => Outcome::Gone(format!("410: {short}")),
        404 | 400 if lower.contains("unregistered") || lower.contains("badtoken") => {
            Outcome::Gone(format!("{status}: {short}"))
        }
        429 | 500..=599 | 408 => {
            Outcome::Retry { after: retry_after.map(Duration::from_secs), error: format!("{status}: {short}") }
        }
        _ => Outcome::Failed(format!("{status}: {short}")),
    }
}

/// Wait before attempt `attempts + 1`: 2^attempts seconds (at most an hour), ±20 % jitter
/// (`jitter` in 0..1), never less than the provider's `Retry-After`.
pub fn backoff(attempts: i32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let base = 2f64.powi(attempts.clamp(0, 12)).min(3600.0);
    let spread = base * (0.8 + 0.4 * jitter.clamp(0.0, 1.0));
    let d = Duration::from_millis((spread * 1000.0) as u64);
    retry_after.map_or(d, |r| d.max(r))
}

/// What becomes of a row after an attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Sent: done.
    Sent,
    /// Pending again, not before the time given.
    RetryAt(NaiveDateTime, String),
    /// The address is gone: the row is dropped (and the address disabled by the caller).
    Dropped(String),
    /// A dead letter: listed for staff and sent again only when they ask.
    Dead(String),
}

/// The step after an attempt that was the row's `attempts + 1`-th, of at most `max`.
pub fn next_step(out: &Outcome, attempts: i32, max: i32, now: NaiveDateTime, jitter: f64) -> Step {
    match out {
        Outcome::Accepted => Step::Sent,
        Outcome::Retry { error, .. } if attempts + 1 >= max => {
            Step::Dead(format!("gave up after {max} attempts: {error}"))
        }
        Outcome::Retry { after, error } => {
            let wait = backoff(attempts, *after, jitter);
            Step::RetryAt(now + chrono::Duration::milliseconds(wait.as_millis() as i64), error.clone())
        }
        Outcome::Gone(error) => Step::Dropped(error.clone()),
        Outcome::Failed(error) => Step::Dead(error.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + s, 0).unwrap().naive_utc()
    }

    #[test]
    fn answers_are_read_the_same_for_every_provider() {
        assert_eq!(classify(200, None, ""), Outcome::Accepted);
        assert!(matches!(classify(410, None, ""), Outcome::Gone(_)));
        assert!(matches!(classify(400, None, "{\"reason\":\"BadToken\"}"), Outcome::Gone(_)));
        assert_eq!(
            classify(429, Some(30), "slow down"),
            Outcome::Retry { after: Some(Duration::from_secs(30)), error: "429: slow down".into() }
        );
        assert!(matches!(classify(403, None, ""), Outcome::Failed(_)));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_honours_retry_after() {
        assert_eq!(backoff(0, None, 0.5), Duration::from_secs(1));
        assert_eq!(backoff(3, None, 0.0), Duration::from_millis(6400));
        assert_eq!(backoff(30, None, 1.0), Duration::from_secs(4320));
        assert_eq!(backoff(0, Some(Duration::from_secs(90)), 0.5), Duration::from_secs(90));
    }

    #[test]
    fn the_last_retry_becomes_a_dead_letter() {
        let retry = Outcome::Retry { after: None, error: "503: busy".into() };
        assert_eq!(next_step(&retry, 0, 5, at(0), 0.5), Step::RetryAt(at(1), "503: busy".into()));
        assert_eq!(next_step(&retry, 4, 5, at(0), 0.5), Step::Dead("gave up after 5 attempts: 503: busy".into()));
        assert_eq!(next_step(&Outcome::Gone("410: gone".into()), 0, 5, at(0), 0.5), Step::Dropped("410: gone".into()));
        assert_eq!(next_step(&Outcome::Accepted, 4, 5, at(0), 0.5), Step::Sent);
    }
}
