//! Pure check-in rules: the evidence a check-in carries and the decision it leads to. Doubtful
//! cases go to a person (`pending_review`), never to the bin; only a check-in with neither a valid
//! QR nor a position inside the geofence is refused outright.

pub mod rotation;

use crate::error::AppResult;
use crate::error::Code;
use crate::platform::pii::{field, Pii};
use chrono::{DateTime, Duration, Utc};

/// Above this implied speed between two check-ins, travel is impossible.
pub const MAX_SPEED_KMH: f64 = 300.0;
/// Offline submissions are accepted this long after the scan.
pub const OFFLINE_MAX_HOURS: i64 = 72;
/// Checking in again at the same place within this returns the open check-in.
pub const SAME_PLACE_MINUTES: i64 = 10;
/// Open check-ins are closed automatically (and flagged) after this.
pub const AUTO_CLOSE_HOURS: i64 = 8;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub qr_valid: bool,
    pub qr_problem: Option<&'static str>,
    pub inside_geofence: bool,
    pub distance_m: Option<f64>,
    pub offline: bool,
    pub staff_confirmed: bool,
    pub impossible_travel: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    Accepted,
    PendingReview(Vec<String>),
    Refused(Vec<String>),
}

pub fn reasons(e: &Evidence) -> Vec<String> {
    let mut r = vec![];
    if !e.qr_valid {
        r.push(e.qr_problem.unwrap_or("qr_missing").to_string());
    }
    if !e.inside_geofence {
        r.push(match e.distance_m {
            Some(_) => "outside_geofence".into(),
            None => "no_position".into(),
        });
    }
    if e.impossible_travel {
        r.push("impossible_travel".into());
    }
    r
}

pub fn decide(e: &Evidence) -> Decision {
    if e.staff_confirmed {
        return Decision::Accepted;
    }
    let r = reasons(e);
    match (e.qr_valid, e.inside_geofence) {
        (false, false) => Decision::Refused(r),
        (true, true) if !e.impossible_travel => Decision::Accepted,
        _ => Decision::PendingReview(r),
    }
}

/// Implied speed from the previous check-in; `None` when there is nothing to compare.
pub fn implied_speed_kmh(
    prev: Option<((f64, f64), DateTime<Utc>)>,
    here: (f64, f64),
    at: DateTime<Utc>,
) -> Option<f64> {
    let (pos, when) = prev?;
    let km = super::geo::distance_m(pos, here) / 1000.0;
    let hours = (at - when).num_milliseconds() as f64 / 3_600_000.0;
    if km < 1.0 {
        return Some(0.0);
    }
    Some(if hours <= 0.0 { f64::INFINITY } else { km / hours })
}

/// Why an offline scan time is not acceptable, if it is not.
pub fn offline_problem(scanned_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Code> {
    if scanned_at > now + Duration::seconds(5) {
        Some(Code::ScannedInFuture)
    } else if now - scanned_at > Duration::hours(OFFLINE_MAX_HOURS) {
        Some(Code::OfflineTooOld)
    } else {
        None
    }
}

/// A WGS-84 position as sealed: `lat,lng` in the shortest form that reads back exactly.
pub fn encode_position(p: (f64, f64)) -> String {
    format!("{},{}", p.0, p.1)
}

/// The position of [`encode_position`] (none if the text is not one).
pub fn decode_position(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// A position as a check-in stores it: sealed (personal data).
pub fn seal_position(pii: &Pii, p: (f64, f64)) -> String {
    pii.seal(field::CHECKIN_POSITION, &encode_position(p))
}

/// The position a check-in stored, opened (none if it stored none).
pub fn open_position(pii: &Pii, sealed: Option<&str>) -> AppResult<Option<(f64, f64)>> {
    sealed.map(|s| Ok(decode_position(&pii.open(field::CHECKIN_POSITION, s)?))).transpose().map(Option::flatten)
}

/// A deputy withdraws from a slot on their own up to 24 hours before it starts.
pub fn may_withdraw(starts: chrono::NaiveDateTime, now: chrono::NaiveDateTime) -> bool {
    starts - now >= chrono::Duration::hours(24)
}

/// (added, removed) between the deputies on a slot and those wanted on it.
pub fn roster_diff(before: &[i64], after: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let added = after.iter().filter(|d| !before.contains(d)).copied().collect();
    let removed = before.iter().filter(|d| !after.contains(d)).copied().collect();
    (added, removed)
}

/// The first and last day of a month written `YYYY-MM`.
pub fn month_days(month: &str) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next.pred_opt()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_read_back_exactly() {
        for p in [(31.861_234_567_8, 117.283_456_789_1), (-90.0, 180.0), (0.1 + 0.2, -0.0)] {
            assert_eq!(decode_position(&encode_position(p)), Some(p));
        }
        assert_eq!(decode_position("31.8"), None);
        assert_eq!(decode_position("a,b"), None);
    }

    fn ev(qr: bool, geo: bool) -> Evidence {
        Evidence {
            qr_valid: qr,
            inside_geofence: geo,
            distance_m: Some(if geo { 10.0 } else { 900.0 }),
            qr_problem: (!qr).then_some("qr_expired"),
            ..Default::default()
        }
    }

    #[test]
    fn decisions() {
        assert_eq!(decide(&ev(true, true)), Decision::Accepted);
        assert_eq!(decide(&ev(true, false)), Decision::PendingReview(vec!["outside_geofence".into()]));
        assert_eq!(decide(&ev(false, true)), Decision::PendingReview(vec!["qr_expired".into()]));
        assert_eq!(decide(&ev(false, false)), Decision::Refused(vec!["qr_expired".into(), "outside_geofence".into()]));
        let fast = Evidence { impossible_travel: true, ..ev(true, true) };
        assert_eq!(decide(&fast), Decision::PendingReview(vec!["impossible_travel".into()]));
        let staff = Evidence { staff_confirmed: true, ..ev(false, false) };
        assert_eq!(decide(&staff), Decision::Accepted);
    }

    #[test]
    fn travel_speed() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        // Hefei → Beijing (~900 km) in one hour is impossible.
        let v = implied_speed_kmh(Some(((31.82, 117.23), t0)), (39.90, 116.40), t0 + Duration::hours(1)).unwrap();
        assert!(v > MAX_SPEED_KMH);
        let slow = implied_speed_kmh(Some(((31.82, 117.23), t0)), (31.85, 117.26), t0 + Duration::hours(1)).unwrap();
        assert!(slow < 10.0);
        assert_eq!(implied_speed_kmh(None, (0.0, 0.0), t0), None);
    }

    #[test]
    fn offline_window() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(offline_problem(now - Duration::hours(71), now), None);
        assert_eq!(offline_problem(now - Duration::hours(73), now), Some(Code::OfflineTooOld));
        assert_eq!(offline_problem(now + Duration::minutes(5), now), Some(Code::ScannedInFuture));
    }

    #[test]
    fn withdrawing_closes_a_day_before_and_months_are_whole() {
        let at = |h: i64| chrono::DateTime::from_timestamp(h * 3600, 0).map(|t| t.naive_utc()).unwrap_or_default();
        assert!(may_withdraw(at(48), at(24)));
        assert!(!may_withdraw(at(48), at(25)));
        assert_eq!(roster_diff(&[1, 2], &[2, 3]), (vec![3], vec![1]));
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(month_days("2028-02").map(|x| x.1), d("2028-02-29"));
        assert_eq!(month_days("2026-12").map(|x| x.0), d("2026-12-01"));
        assert_eq!(month_days("2026-13"), None);
        assert_eq!(month_days("12-2026"), None);
    }
}
