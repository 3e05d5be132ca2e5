//! Pure rules of sitting in (列席): over a term, who has sat in on the standing committee, who is
//! invited to one still ahead, and who comes next — those never invited first, then those
//! invited longest ago (excused or absent), each group by deputy id.

use chrono::NaiveDateTime;
use std::collections::HashMap;

/// One invitation to a sitting-in meeting: (deputy, final attendance, closed, starts).
pub type Invitation = (i64, Option<String>, Option<NaiveDateTime>, NaiveDateTime);

/// Where the congress's seated deputies stand.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rotation {
    /// Attended one in the term.
    pub sat: Vec<i64>,
    /// Invited to one not closed yet.
    pub invited: Vec<i64>,
    /// Everyone else, in the order to invite them.
    pub next: Vec<i64>,
}

pub fn rotation(seated: &[i64], invitations: &[Invitation]) -> Rotation {
    let mut last: HashMap<i64, NaiveDateTime> = HashMap::new();
    let mut r = Rotation::default();
    let (mut sat, mut open) = (vec![], vec![]);
    for (d, attendance, closed, starts) in invitations {
        match (closed, attendance.as_deref()) {
            (Some(_), Some("attended")) => sat.push(*d),
            (None, _) => open.push(*d),
            _ => {}
        }
        let e = last.entry(*d).or_insert(*starts);
        *e = (*e).max(*starts);
    }
    let mut rest = vec![];
    for d in seated {
        if sat.contains(d) {
            r.sat.push(*d);
        } else if open.contains(d) {
            r.invited.push(*d);
        } else {
            rest.push((last.get(d).copied(), *d));
        }
    }
    rest.sort();
    r.next = rest.into_iter().map(|x| x.1).collect();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_never_invited_come_first_then_the_longest_ago() {
        let t = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let inv = vec![
            (1, Some("attended".to_string()), Some(t(2)), t(1)),
            (2, None, None, t(20)),
            (3, Some("absent".to_string()), Some(t(6)), t(5)),
            (4, Some("excused".to_string()), Some(t(3)), t(2)),
        ];
        let r = rotation(&[1, 2, 3, 4, 5, 6], &inv);
        assert_eq!((r.sat, r.invited, r.next), (vec![1], vec![2], vec![5, 6, 4, 3]));
    }
}
