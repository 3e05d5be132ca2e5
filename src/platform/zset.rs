//! An in-process sorted set with Redis semantics: members ordered by score, then by member.
//! The order is an order-statistic tree (`indexset`: a B-tree whose nodes are indexed by a Fenwick
//! tree of their sizes), so a rank, a count of a score range and a page of the range are
//! O(log n) like Redis's skip list, not a walk over the members (a rank among 600,000 members
//! walked ~300,000 of them, under the cache's lock).

use indexset::BTreeSet;
use std::ops::Bound;
use std::sync::Arc;

/// f64 in an order that agrees with `<` (and puts NaN last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(i64);

impl Key {
    fn of(f: f64) -> Key {
        let b = f.to_bits() as i64;
        Key(if b < 0 { b ^ i64::MAX } else { b })
    }

    fn score(self) -> f64 {
        f64::from_bits((if self.0 < 0 { self.0 ^ i64::MAX } else { self.0 }) as u64)
    }
}

/// A member's name, shared by its score entry and its place in the order (a move allocates
/// nothing; the tree's nodes shift 24-byte elements).
type Member = Arc<str>;

#[derive(Debug)]
pub struct ZSet {
    /// foldhash: SipHash was a tenth of the board worker's inserts (names are ours, not a caller's).
    scores: foldhash::HashMap<Member, f64>,
    order: BTreeSet<(Key, Member)>,
}

/// Members per node of the tree. `indexset`'s default, 1,024, made every insert and removal shift
/// ~16 KB inside its node (memmove was a quarter of the board worker's inserts under an award
/// burst); with 256 a shift is ~4 KB, and a split, which rebuilds the index over the nodes, is
/// still rare and cheap (~2,400 nodes for 600,000 members).
const NODE: usize = 256;

impl Default for ZSet {
    fn default() -> Self {
        ZSet { scores: Default::default(), order: BTreeSet::with_maximum_node_size(NODE) }
    }
}

/// A Redis range bound (`(5` exclusive, `5` inclusive, `-inf`, `+inf`), as a bound on keys.
fn bound(s: &str, low: bool) -> Option<Bound<(Key, Member)>> {
    // Member strings sort after "" and before "\u{10FFFF}…", so these bracket every member.
    let (lo_member, hi_member): (Member, Member) = (Arc::from(""), Arc::from("\u{10FFFF}".repeat(4)));
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
        let m: Member = match self.scores.get_key_value(member) {
            // The same score again (a put that changed nothing this set orders by): nothing moves.
            Some((_, &old)) if Key::of(old) == Key::of(score) => return,
            Some((m, &old)) => {
                let m = m.clone();
                self.order.remove(&(Key::of(old), m.clone()));
                m
            }
            None => Arc::from(member),
        };
        self.order.insert((Key::of(score), m.clone()));
        self.scores.insert(m, score);
    }

    pub fn remove(&mut self, member: &str) {
        if let Some((m, old)) = self.scores.remove_entry(member) {
            self.order.remove(&(Key::of(old), m));
        }
    }

    /// Members from `start` to `stop` (inclusive), highest first; equal scores by member, descending.
    pub fn rev_range(&self, start: usize, stop: usize) -> Vec<(String, f64)> {
        let n = self.order.len();
        (start..=stop.min(n.saturating_sub(1)))
            .filter_map(|i| self.order.get_index(n - 1 - i))
            .map(|(k, m)| (m.to_string(), k.score()))
            .collect()
    }

    /// 0-based rank, highest first.
    pub fn rev_rank(&self, member: &str) -> Option<usize> {
        let (m, &s) = self.scores.get_key_value(member)?;
        // Members after this one: all but those up to and including it.
        Some(self.order.len() - self.order.rank(&(Key::of(s), m.clone())) - 1)
    }

    /// Members before a bound, as a position in the order.
    fn position(&self, b: &Bound<(Key, Member)>, low: bool) -> usize {
        match b {
            Bound::Unbounded if low => 0,
            Bound::Unbounded => self.order.len(),
            // Inclusive low or exclusive high: the members strictly before it.
            Bound::Included(k) if low => self.order.rank(k),
            Bound::Excluded(k) if !low => self.order.rank(k),
            // Exclusive low or inclusive high: up to and including it.
            Bound::Included(k) | Bound::Excluded(k) => self.order.rank(k) + usize::from(self.order.contains(k)),
        }
    }

    /// Members with a score in the Redis range `lo`..`hi`.
    pub fn count(&self, lo: &str, hi: &str) -> usize {
        match (bound(lo, true), bound(hi, false)) {
            (Some(l), Some(h)) => self.position(&h, false).saturating_sub(self.position(&l, true)),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

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
        assert_eq!(z.rev_range(1, 9), [("a".to_string(), 5.0), ("c".to_string(), 1.0)]);
        assert!(z.rev_range(5, 9).is_empty());
    }

    #[test]
    fn ranks_and_counts_agree_with_a_sorted_list_through_thousands_of_changes() {
        // Enough members to fill many nodes of the tree, with scores that tie, go negative and move.
        let mut z = ZSet::default();
        let mut truth: HashMap<String, f64> = HashMap::new();
        let mut x: u64 = 7;
        for i in 0..20_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let member = format!("d{}", x % 5_000);
            if i % 7 == 0 {
                z.remove(&member);
                truth.remove(&member);
            } else {
                let score = ((x >> 33) % 200) as f64 - 50.0;
                z.insert(&member, score);
                truth.insert(member, score);
            }
        }
        let mut sorted: Vec<(f64, String)> = truth.iter().map(|(m, s)| (*s, m.clone())).collect();
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
        assert_eq!(z.len(), sorted.len());
        let expected: Vec<(String, f64)> = sorted.iter().map(|(s, m)| (m.clone(), *s)).collect();
        assert_eq!(z.rev_range(0, sorted.len()), expected);
        for (i, (_, m)) in sorted.iter().enumerate().step_by(37) {
            assert_eq!(z.rev_rank(m), Some(i), "{m}");
        }
        for p in [-60.0, -50.0, -1.0, 0.0, 75.0, 149.0, 150.0] {
            let above = sorted.iter().filter(|(s, _)| *s > p).count();
            let at_most = sorted.len() - above;
            assert_eq!(z.count(&format!("({p}"), "+inf"), above, "above {p}");
            assert_eq!(z.count("-inf", &format!("{p}")), at_most, "at most {p}");
            assert_eq!(
                z.count(&format!("{p}"), &format!("{}", p + 10.0)),
                sorted.iter().filter(|(s, _)| *s >= p && *s <= p + 10.0).count()
            );
        }
        assert_eq!(z.rev_rank("nobody"), None);
    }
}
