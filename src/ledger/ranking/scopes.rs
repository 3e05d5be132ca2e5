//! Pure names and scores of the leaderboards: the scopes a deputy is ranked in (everyone, each
//! region subtree, each subtree and seat level, each level, each group) and the sorted-set score.
//!
//! Ties: the score is `points × 2³¹ − deputy id`, so equal totals list by deputy id (as SQL does)
//! while `points` is the ceiling of `score / 2³¹`.

use crate::org::SeatBrief;
use std::collections::BTreeSet;

/// One point in scores (2³¹).
pub const M: f64 = 2_147_483_648.0;

pub fn score(points: i64, deputy: i64) -> f64 {
    points as f64 * M - deputy as f64
}

pub fn points_of(score: f64) -> i64 {
    (score / M).ceil() as i64
}

/// The scopes a deputy is ranked in, from their seats.
pub fn scopes_of(seats: &[SeatBrief]) -> Vec<String> {
    let mut out = BTreeSet::from(["all".to_string()]);
    for s in seats {
        out.insert(format!("l:{}", s.level));
        for r in crate::ledger::rules::path_ids(&s.path) {
            out.insert(format!("r{r}"));
            out.insert(format!("r{r}:l:{}", s.level));
        }
        if let Some(g) = s.group_id {
            out.insert(format!("g{g}"));
        }
    }
    out.into_iter().collect()
}

/// The scope of a ranking query (see [`scopes_of`]).
pub fn scope_name(region: Option<i64>, level: Option<&str>, group: Option<i64>) -> String {
    match (group, region, level) {
        (Some(g), _, _) => format!("g{g}"),
        (None, Some(r), Some(l)) => format!("r{r}:l:{l}"),
        (None, Some(r), None) => format!("r{r}"),
        (None, None, Some(l)) => format!("l:{l}"),
        (None, None, None) => "all".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_order_by_points_then_deputy_and_give_the_points_back() {
        for (p, d) in [(0, 1), (73, 5), (-12, 2_000_000_000), (1000, 3)] {
            assert_eq!(points_of(score(p, d)), p, "{p} {d}");
        }
        assert!(score(10, 1) > score(10, 2));
        assert!(score(11, 900) > score(10, 1));
    }

    #[test]
    fn a_seat_puts_a_deputy_in_its_region_chain_level_and_group() {
        let seats =
            [SeatBrief { path: "/1/3/".into(), status: "active".into(), level: "county".into(), group_id: Some(7) }];
        assert_eq!(scopes_of(&seats), vec!["all", "g7", "l:county", "r1", "r1:l:county", "r3", "r3:l:county"]);
        assert_eq!(scope_name(Some(3), Some("county"), None), "r3:l:county");
        assert_eq!(scope_name(None, None, None), "all");
    }
}
