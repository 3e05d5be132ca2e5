//! An in-process sorted set with Redis semantics: members ordered by score, then by member;
//! inserts, removals and ranges in O(log n), counts in O(log n + k).

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

/// f64 in an order that agrees with `<` (and puts NaN last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(i64);

impl Key {
    fn of(f: f64) -> Key {
        let b = f.to_bits() as i64;
        Key(if b < 0 { b ^ i64::MAX } else { b })
    }
}

#[derive(Debug, Default)]
pub struct ZSet {
    scores: HashMap<String, f64>,
    order: BTreeSet<(Key, String)>,
}

/// A Redis range bound (`(5` exclusive, `5` inclusive, `-inf`, `+inf`), as a bound on keys.
fn bound(s: &str, low: bool) -> Option<Bound<(Key, String)>> {
    // Member strings sort after "" and before "\u{10FFFF}…", so these bracket every member.
    let (lo_member, hi_member) = (String::new(), "\u{10FFFF}".repeat(4));
    match s {
        "-inf" => Some(Bound::Unbounded),
        "+inf" => Some(Bound::Unbounded),
        _ => {
            let (exclusive, num) = match s.strip_prefix('(') {
                Some(n) => (true, n),
                None => (false, s),
            };
            let k = Key::of(num.parse::<f64>().ok()?);
            Some(match (low, exclusive) {
                (true, false) => Bound::Included((k, lo_member)),
                (true, true) => Bound::Excluded((k, hi_member)),
                (false, false) => Bound::Included((k, hi_member)),
                (false, true) => Bound::Excluded((k, lo_member)),
            })
        }
    }
}

impl ZSet {
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    pub fn score(&self, member: &str) -> Option<f64> {
        self.scores.get(member).copied()
    }

    pub fn insert(&mut self, member: &str, score: f64) {
        if let Some(old) = self.scores.insert(member.to_string(), score) {
            self.order.remove(&(Key::of(old), member.to_string()));
        }
        self.order.insert((Key::of(score), member.to_string()));
    }

    pub fn remove(&mut self, member: &str) {
        if let Some(old) = self.scores.remove(member) {
            self.order.remove(&(Key::of(old), member.to_string()));
        }
    }

    /// Members from `start` to `stop` (inclusive), highest first; equal scores by member, descending.
    pub fn rev_range(&self, start: usize, stop: usize) -> Vec<(String, f64)> {
        self.order.iter().rev().skip(start).take(stop.saturating_sub(start) + 1).map(|(_, m)| (m.clone(), self.scores[m])).collect()
    }

    /// 0-based rank, highest first.
    pub fn rev_rank(&self, member: &str) -> Option<usize> {
        let s = self.score(member)?;
        Some(self.order.range((Bound::Excluded((Key::of(s), member.to_string())), Bound::Unbounded)).count())
    }

    /// Members with a score in the Redis range `lo`..`hi`.
    pub fn count(&self, lo: &str, hi: &str) -> usize {
        match (bound(lo, true), bound(hi, false)) {
            (Some(l), Some(h)) => {
                let empty = matches!((&l, &h), (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) if a > b);
                if empty {
                    0
                } else {
                    self.order.range((l, h)).count()
                }
            }
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_counts_like_redis() {
        let mut z = ZSet::default();
        for (m, s) in [("a", 5.0), ("b", 5.0), ("c", -2.0), ("d", 10.0)] {
            z.insert(m, s);
        }
        z.insert("c", 1.0);
        let top: Vec<String> = z.rev_range(0, 9).into_iter().map(|x| x.0).collect();
        assert_eq!(top, ["d", "b", "a", "c"]);
        assert_eq!(z.count("(5", "+inf"), 1);
        assert_eq!(z.count("5", "+inf"), 3);
        assert_eq!(z.count("-inf", "(5"), 1);
        assert_eq!(z.count("-inf", "5"), 3);
        assert_eq!(z.count("(10", "5"), 0);
        assert_eq!(z.rev_rank("a"), Some(2));
        z.remove("d");
        assert_eq!((z.len(), z.rev_rank("b")), (3, Some(0)));
    }
}
