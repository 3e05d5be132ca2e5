//! Pure push rules: dedup ids, pushes grouped into requests, urgent pushes first, quiet hours. How an answer is read and
//! retried is the outbox kit's (`platform::outbox`).

use chrono::{NaiveDateTime, NaiveTime, TimeZone};

/// The same for every attempt of one send, so a provider drops a repeat after a crash.
pub fn dedup_id(notice: i64, device: i64, round: i32) -> String {
    format!("lvzhi-n{notice}-d{device}-r{round}")
}

/// A UUID for the pushes one request carries (APNs `apns-id`, JPush `cid`, Huawei `bi_tag`):
/// the same whenever the same pushes go together again; for one push, derived from its dedup id.
pub fn batch_uuid<'a>(dedup_ids: impl Iterator<Item = &'a str>) -> uuid::Uuid {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (i, id) in dedup_ids.enumerate() {
        if i > 0 {
            h.update(b"\n");
        }
        h.update(id.as_bytes());
    }
    let mut b = [0u8; 16];
    b.copy_from_slice(&h.finalize()[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid()
}

/// Splits pushes into requests of at most `max` pushes, those with the same `key` (saying the
/// same) together: each full request as it fills, then the rest.
pub fn requests<T, K: PartialEq>(items: Vec<T>, max: usize, key: impl Fn(&T) -> K) -> Vec<Vec<T>> {
    let max = max.max(1);
    let mut open: Vec<(K, Vec<T>)> = vec![];
    let mut out = vec![];
    for item in items {
        let k = key(&item);
        let i = match open.iter().position(|(o, _)| *o == k) {
            Some(i) => i,
            None => {
                open.push((k, vec![]));
                open.len() - 1
            }
        };
        open[i].1.push(item);
        if open[i].1.len() == max {
            out.push(std::mem::take(&mut open[i].1));
        }
    }
    out.extend(open.into_iter().map(|(_, v)| v).filter(|v| !v.is_empty()));
    out
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
    fn pushes_saying_the_same_share_requests_up_to_the_limit() {
        let items = vec![(1, 'a'), (2, 'a'), (1, 'b'), (1, 'c'), (2, 'd'), (1, 'e')];
        let got = requests(items, 2, |i| i.0);
        assert_eq!(got, vec![vec![(1, 'a'), (1, 'b')], vec![(2, 'a'), (2, 'd')], vec![(1, 'c'), (1, 'e')]]);
        assert_eq!(requests(vec![1, 2, 3], 1, |_| ()), vec![vec![1], vec![2], vec![3]]);
        assert_eq!(requests(Vec::<i32>::new(), 1000, |_| ()), Vec::<Vec<i32>>::new());
        let one = batch_uuid(["lvzhi-n1-d2-r0"].into_iter());
        assert_eq!(one, batch_uuid(["lvzhi-n1-d2-r0"].into_iter()));
        assert_ne!(one, batch_uuid(["lvzhi-n1-d2-r0", "lvzhi-n1-d3-r0"].into_iter()));
        assert_ne!(batch_uuid(["ab", "c"].into_iter()), batch_uuid(["a", "bc"].into_iter()));
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
