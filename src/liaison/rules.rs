//! Pure rules of liaison links: which congresses a link may join (the same one, or a parent and
//! its direct child), what a contact may say, and the coverage over a congress's deputies.

pub mod import;

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// How a contact was made.
pub const CHANNELS: [&str; 4] = ["visit", "phone", "meeting", "online"];
/// The most a summary or the issues raised may hold.
pub const MAX_TEXT: usize = 2_000;
/// What 合肥 asks of each standing-committee member (每人联系8名基层代表).
pub const DEFAULT_MIN_LINKS: usize = 8;

/// Whether a seat at `seat` lies in the congress at `congress` or in one directly below it.
pub fn own_or_child(seat: &str, congress: &str) -> bool {
    match seat.strip_prefix(congress) {
        Some("") => true,
        Some(rest) => rest.trim_end_matches('/').split('/').count() == 1 && !rest.trim_end_matches('/').is_empty(),
        None => false,
    }
}

/// The keys a link's two sides are stored under (one active link per pair and term):
/// member `d:{deputy}` or `a:{account}`, target `d:{deputy}` or `g:{group}`.
pub fn keys(member: (Option<i64>, Option<i64>), target: (Option<i64>, Option<i64>)) -> (String, String) {
    let m = member.0.map_or_else(|| format!("a:{}", member.1.unwrap_or_default()), |d| format!("d:{d}"));
    let t = target.0.map_or_else(|| format!("g:{}", target.1.unwrap_or_default()), |d| format!("d:{d}"));
    (m, t)
}

/// What is wrong with a contact's date, if anything: a date YYYY-MM-DD, not after `today`, not
/// before `first` (the term's first day).
pub fn check_date(s: &str, today: NaiveDate, first: NaiveDate) -> Result<NaiveDate, &'static str> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "invalid_value")?;
    if d > today {
        return Err("in_future");
    }
    if d < first {
        return Err("before_term");
    }
    Ok(d)
}

/// One active link as the coverage sees it.
pub struct Linked {
    pub link: i64,
    pub member: String,
    pub deputies: Vec<i64>,
    pub yearly_target: i64,
    pub contacts_this_year: i64,
}

/// The coverage of `population` by `links`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub linked: Vec<i64>,
    pub unlinked: Vec<i64>,
    /// Links whose contacts this year are below their target.
    pub below_target: Vec<i64>,
    /// Members (their keys) linked with fewer deputies than `min_links`, with how many.
    pub members_below: Vec<(String, usize)>,
}

pub fn coverage(population: &[i64], links: &[Linked], min_links: usize) -> Coverage {
    let targeted: BTreeSet<i64> = links.iter().flat_map(|l| l.deputies.iter().copied()).collect();
    let mut per_member: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for l in links {
        per_member.entry(&l.member).or_default().extend(l.deputies.iter().copied());
    }
    Coverage {
        linked: population.iter().copied().filter(|d| targeted.contains(d)).collect(),
        unlinked: population.iter().copied().filter(|d| !targeted.contains(d)).collect(),
        below_target: links.iter().filter(|l| l.contacts_this_year < l.yearly_target).map(|l| l.link).collect(),
        members_below: per_member
            .into_iter()
            .filter(|(_, d)| d.len() < min_links)
            .map(|(m, d)| (m.to_string(), d.len()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn congresses_dates_and_coverage() {
        assert!(own_or_child("/1/5/", "/1/5/") && own_or_child("/1/5/23/", "/1/5/"));
        assert!(
            !own_or_child("/1/5/23/77/", "/1/5/") && !own_or_child("/1/6/", "/1/5/") && !own_or_child("/1/", "/1/5/")
        );
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (today, first) = (d("2026-12-07"), d("2022-01-01"));
        assert!(check_date("2026-12-07", today, first).is_ok());
        assert_eq!(check_date("2026-12-08", today, first), Err("in_future"));
        assert_eq!(check_date("2021-12-31", today, first), Err("before_term"));
        assert_eq!(check_date("2026-13-01", today, first), Err("invalid_value"));
        let l = |link, member: &str, deputies: Vec<i64>, contacts| Linked {
            link,
            member: member.into(),
            deputies,
            yearly_target: 2,
            contacts_this_year: contacts,
        };
        let c = coverage(
            &[1, 2, 3, 4],
            &[l(10, "d:9", vec![1, 2], 2), l(11, "d:9", vec![2], 1), l(12, "a:5", vec![3], 0)],
            2,
        );
        assert_eq!((c.linked, c.unlinked), (vec![1, 2, 3], vec![4]));
        assert_eq!(c.below_target, vec![11, 12]);
        assert_eq!(c.members_below, vec![("a:5".to_string(), 1)]);
    }
}
