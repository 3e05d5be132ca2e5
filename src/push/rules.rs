//! Pure push rules: dedup ids, urgent pushes first, quiet hours. How an answer is read and
//! retried is the outbox kit's (`platform::outbox`).

use chrono::{NaiveDateTime, NaiveTime, TimeZone};

/// The same for every attempt of one send, so a provider drops a repeat after a crash.
pub fn dedup_id(notice: i64, device: i64, round: i32) -> String {
    format!("lvzhi-n{notice}-d{device}-r{round}")
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
pub fn after_quiet_hours(
    now: NaiveDateTime,
    quiet: Option<(NaiveTime, NaiveTime)>,
    tz: chrono_tz::Tz,
) -> NaiveDateTime {
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
    fn quiet_hours_hold_until_morning() {
        let tz = chrono_tz::Asia::Shanghai;
        let q = Some((NaiveTime::from_hms_opt(22, 0, 0).unwrap(), NaiveTime::from_hms_opt(7, 0, 0).unwrap()));
        let at = |d: u32, h: u32| tz.with_ymd_and_hms(2026, 11, d, h, 30, 0).unwrap().naive_utc();
        assert_eq!(
            after_quiet_hours(at(25, 23), q, tz),
            tz.with_ymd_and_hms(2026, 11, 26, 7, 0, 0).unwrap().naive_utc()
        );
        assert_eq!(
            after_quiet_hours(at(26, 3), q, tz),
            tz.with_ymd_and_hms(2026, 11, 26, 7, 0, 0).unwrap().naive_utc()
        );
        assert_eq!(after_quiet_hours(at(26, 12), q, tz), at(26, 12));
        assert_eq!(after_quiet_hours(at(26, 23), None, tz), at(26, 23));
    }
}
