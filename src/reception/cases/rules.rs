//! Pure rules of opinions: what a submission may carry, ticket numbers, and the life of a case —
//! which change of state each kind of actor may make from where.

use crate::error::FieldError;

pub const CATEGORIES: [&str; 11] = [
    "urban_construction",
    "transport",
    "education",
    "health",
    "social_security",
    "environment",
    "public_safety",
    "economy",
    "agriculture",
    "livelihood_project",
    "other",
];

/// What may happen to an opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    Reject,
    Answer,
    Forward,
    Reply,
    Close,
    Rate,
    Withdraw,
    Merge,
}

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Constituent,
    Deputy,
    Staff,
    Unit,
}

/// The state an action leads to from `from`, when this actor may take it there.
pub fn next(from: &str, action: Action, actor: Actor) -> Option<&'static str> {
    use Action::*;
    use Actor::*;
    match (from, action, actor) {
        ("submitted", Accept, Staff) => Some("accepted"),
        ("submitted" | "accepted", Reject, Staff) => Some("rejected"),
        ("submitted" | "accepted", Withdraw, Constituent) => Some("withdrawn"),
        ("submitted" | "accepted" | "reopened", Answer, Deputy) => Some("answered"),
        ("accepted" | "answered" | "reopened", Forward, Staff) => Some("forwarded"),
        ("forwarded", Reply, Unit) => Some("replied"),
        ("answered" | "replied", Close, Staff | Deputy) => Some("closed"),
        ("closed", Rate, Constituent) => Some("rated"),
        ("submitted" | "accepted", Merge, Staff) => Some("merged"),
        _ => None,
    }
}

pub const SATISFACTION: [&str; 3] = ["satisfied", "basically_satisfied", "unsatisfied"];

/// Where a rating leaves the case: an unsatisfied first round reopens it for a second round
/// (escalated to the supervising staff); any other rating ends it.
pub fn after_rating(satisfaction: &str, round: i32) -> &'static str {
    if satisfaction == "unsatisfied" && round < 2 {
        "reopened"
    } else {
        "rated"
    }
}

/// Duplicates: open cases of the same category this near, this recent.
pub const DUPLICATE_METRES: f64 = 200.0;
pub const DUPLICATE_DAYS: i64 = 30;

/// States in which a case is still being handled (duplicates are searched among them).
pub const OPEN: [&str; 6] = ["submitted", "accepted", "answered", "forwarded", "replied", "reopened"];

/// Metres between two WGS-84 points (haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

/// A bounding box around `p` that holds every point within `metres` (for an index-friendly
/// prefilter): (min lat, max lat, min lon, max lon).
pub fn bbox(p: (f64, f64), metres: f64) -> (f64, f64, f64, f64) {
    let dlat = metres / 111_000.0;
    let dlon = metres / (111_000.0 * p.0.to_radians().cos().max(0.01));
    (p.0 - dlat, p.0 + dlat, p.1 - dlon, p.1 + dlon)
}

/// `YYYYMMDD-NNNNNN`: the congress calendar day and that day's sequence.
pub fn ticket(day: chrono::NaiveDate, seq: i64) -> String {
    format!("{}-{seq:06}", day.format("%Y%m%d"))
}

/// Photo URLs: at most 9, https only.
pub fn check(
    category: &str,
    title: &str,
    content: &str,
    photos: &[String],
    position: (Option<f64>, Option<f64>),
) -> Vec<FieldError> {
    let mut e = vec![];
    if !CATEGORIES.contains(&category) {
        e.push(FieldError::new("category", "invalid_value", CATEGORIES.join(", ")));
    }
    e.extend(crate::org::rules::required_text("title", title, 100));
    if content.trim().is_empty() {
        e.push(FieldError::new("content", "required", "say what the matter is"));
    } else if content.chars().count() > 5000 {
        e.push(FieldError::new("content", "too_long", "at most 5,000 characters"));
    }
    if photos.len() > 9 || photos.iter().any(|p| !p.starts_with("https://") || p.len() > 1000) {
        e.push(FieldError::new("photo_urls", "invalid_value", "at most 9 https URLs"));
    }
    match position {
        (Some(lat), Some(lon)) if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) => {
            e.push(FieldError::new("latitude", "invalid_range", "a WGS-84 position"))
        }
        (Some(_), None) | (None, Some(_)) => {
            e.push(FieldError::new("longitude", "required", "latitude and longitude go together"))
        }
        _ => {}
    }
    e
}

/// An optional position given in `coord_system`, as WGS-84: unchanged when a half is missing or it
/// is off the Earth (`check` reports those).
pub fn in_wgs84(
    coord_system: Option<&str>,
    at: (Option<f64>, Option<f64>),
) -> Result<(Option<f64>, Option<f64>), FieldError> {
    match at {
        (Some(lat), Some(lng)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng) => {
            to_wgs84(coord_system, lat, lng).map(|(la, lo)| (Some(la), Some(lo)))
        }
        other => Ok(other),
    }
}

/// The statuses whose reaching is texted to the person who filed the case.
pub const TEXTED: [&str; 5] = ["accepted", "rejected", "answered", "replied", "closed"];

/// Where a text sends the person: the case's page, or the room's name without a public address.
pub fn case_link(base: Option<&str>, ticket: &str) -> String {
    match base {
        Some(b) => format!("{b}/m/cases/{ticket}"),
        None => "人大代表云接待室".to_string(),
    }
}

/// The text of a milestone (a reason is cut to 60 characters).
pub fn milestone_text(status: &str, ticket: &str, note: Option<&str>, link: &str) -> String {
    let reason: String = note.unwrap_or("未说明").chars().take(60).collect();
    match status {
        "accepted" => format!("【履职】您的意见（编号{ticket}）已受理，我们将尽快办理。查看进度：{link}"),
        "rejected" => format!("【履职】您的意见（编号{ticket}）未予受理，原因：{reason}。详情：{link}"),
        "answered" => format!("【履职】代表已答复您的意见（编号{ticket}），请查看：{link}"),
        "replied" => format!("【履职】承办单位已回复您的意见（编号{ticket}），请查看：{link}"),
        "closed" => format!("【履职】您的意见（编号{ticket}）已办结，请对办理结果进行评价：{link}"),
        _ => format!("【履职】您的意见（编号{ticket}）有新进展，请查看：{link}"),
    }
}

/// A position given in `coord_system` (wgs84 by default, gcj02 from WeChat's and Amap's pickers,
/// bd09 from Baidu's), as WGS-84; an unknown system is a field error.
pub fn to_wgs84(coord_system: Option<&str>, lat: f64, lng: f64) -> Result<(f64, f64), FieldError> {
    use crate::checkins::geo::{self, CoordSystem};
    let sys = CoordSystem::parse(coord_system.unwrap_or("wgs84"))
        .ok_or_else(|| FieldError::new("coord_system", "invalid_value", "wgs84, gcj02 or bd09"))?;
    Ok(geo::to_wgs84(sys, lat, lng))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_goes_from_submission_to_a_rating() {
        let path = [
            ("submitted", Action::Accept, Actor::Staff, "accepted"),
            ("accepted", Action::Forward, Actor::Staff, "forwarded"),
            ("forwarded", Action::Reply, Actor::Unit, "replied"),
            ("replied", Action::Close, Actor::Staff, "closed"),
            ("closed", Action::Rate, Actor::Constituent, "rated"),
        ];
        for (from, a, who, to) in path {
            assert_eq!(next(from, a, who), Some(to), "{from} {a:?}");
        }
        assert_eq!(next("submitted", Action::Answer, Actor::Deputy), Some("answered"));
    }

    #[test]
    fn nobody_skips_a_step_or_takes_anothers_part() {
        assert_eq!(next("submitted", Action::Reply, Actor::Unit), None);
        assert_eq!(next("forwarded", Action::Withdraw, Actor::Constituent), None);
        assert_eq!(next("submitted", Action::Accept, Actor::Deputy), None);
        assert_eq!(next("rated", Action::Rate, Actor::Constituent), None);
        assert_eq!(next("withdrawn", Action::Withdraw, Actor::Constituent), None);
    }

    #[test]
    fn an_unsatisfied_first_rating_opens_a_second_round() {
        assert_eq!(after_rating("unsatisfied", 1), "reopened");
        assert_eq!(after_rating("unsatisfied", 2), "rated");
        assert_eq!(after_rating("basically_satisfied", 1), "rated");
        assert_eq!(next("reopened", Action::Forward, Actor::Staff), Some("forwarded"));
        assert_eq!(next("reopened", Action::Answer, Actor::Deputy), Some("answered"));
        assert_eq!(next("forwarded", Action::Merge, Actor::Staff), None);
    }

    #[test]
    fn distances_are_metres_on_the_ground() {
        // 0.001° of latitude is about 111 m anywhere.
        let d = distance_m((31.86, 117.28), (31.861, 117.28));
        assert!((d - 111.2).abs() < 1.0, "{d}");
        let (a, b, c, e) = bbox((31.86, 117.28), 200.0);
        assert!(a < 31.86 && b > 31.86 && c < 117.28 && e > 117.28);
        assert!(distance_m((31.86, 117.28), (b, 117.28)) >= 199.0);
    }

    #[test]
    fn tickets_carry_the_day_and_sequence() {
        assert_eq!(ticket(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), 123), "20261123-000123");
    }

    #[test]
    fn submissions_are_checked() {
        assert!(check("transport", "路灯不亮", "晚上很黑", &[], (None, None)).is_empty());
        assert_eq!(check("transport", "t", &"长".repeat(5001), &[], (None, None))[0].code, "too_long");
        assert_eq!(check("weather", "t", "c", &[], (None, None))[0].field, "category");
        assert_eq!(check("other", "t", "c", &["http://x".into()], (None, None))[0].field, "photo_urls");
        assert_eq!(check("other", "t", "c", &[], (Some(31.8), None))[0].field, "longitude");
    }
}
