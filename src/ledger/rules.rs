//! Pure ledger rules: the default rulebook, which rule a point event earns, caps at award time,
//! and the hash chain over canonical entry bytes.

use sha2::{Digest, Sha256};

/// The chain's first `prev_hash`.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A rule of the default rulebook: (code, name, category, points, yearly cap, daily cap, needs review, clause).
pub type DefaultRule = (&'static str, &'static str, &'static str, i32, Option<i32>, Option<i32>, bool, &'static str);

/// Written from published local rules (see docs/POINT_RULES.md for the sources).
pub const DEFAULT_RULES: [DefaultRule; 24] = [
    ("base", "年度基础分", "base", 60, Some(60), None, false, "§2.1"),
    ("station_reception", "进站接待选民", "station_reception", 2, Some(20), Some(2), false, "§3.4"),
    ("meeting_attended", "出席会议", "meeting", 1, Some(20), None, false, "§3.1"),
    ("meeting_excused", "请假缺席会议（半天计）", "penalty", -1, None, None, false, "§4.1"),
    ("meeting_absent", "无故缺席会议", "penalty", -10, None, None, false, "§4.2"),
    ("training_attended", "参加履职培训", "training", 2, Some(10), None, false, "§3.6"),
    ("training_absent", "无故缺席培训", "penalty", -2, None, None, false, "§4.3"),
    ("inspection_attended", "参加视察调研", "inspection", 3, Some(15), None, false, "§3.3"),
    ("sitting_in_attended", "列席人大常委会会议", "meeting", 2, None, None, false, "§3.1"),
    ("group_activity_attended", "参加代表小组活动", "activity", 2, Some(10), None, false, "§3.5"),
    ("group_activity_absent", "无故缺席小组活动", "penalty", -2, None, None, false, "§4.3"),
    ("duty_no_show", "接待日未到岗", "penalty", -2, None, None, false, "§4.4"),
    ("suggestion_filed", "提出代表建议", "suggestion", 3, None, None, false, "§3.2"),
    ("suggestion_cosigned", "联名提出代表建议", "suggestion", 1, Some(5), None, false, "§3.2"),
    ("suggestion_key", "代表建议被确定为重点建议", "suggestion", 2, None, None, false, "§3.2"),
    ("suggestion_excellent", "代表建议被评为优秀建议", "suggestion", 5, None, None, false, "§3.8"),
    ("opinion_answered", "答复群众意见（云接待室）", "online_duty", 1, Some(10), None, false, "§3.7"),
    ("opinion_collected", "收集反映群众意见", "online_duty", 1, Some(10), None, false, "§3.7"),
    ("duty_report_delivered", "向选民和原选举单位述职并接受评议", "activity", 5, None, None, false, "§3.10"),
    ("project_voted", "参加民生实事项目票决（每轮一次）", "meeting", 1, None, None, false, "§3.1"),
    ("project_inspected", "视察民生实事项目并提出意见（每次视察一次）", "inspection", 2, Some(10), None, false, "§3.3"),
    (
        "consultation_answered",
        "参加立法和重大事项征求意见（每次征求意见一次）",
        "online_duty",
        1,
        Some(10),
        None,
        false,
        "§3.7",
    ),
    ("manual_bonus", "其他加分（经审核）", "activity", 0, None, None, true, "§3.9"),
    ("manual_deduction", "其他扣分（经审核）", "penalty", 0, None, None, true, "§4.9"),
];

/// The rule a point event earns, if any (event check-ins earn nothing by themselves: the
/// attendance recorded when the event closes does).
pub fn rule_for_event(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "station_reception" => "station_reception",
        "meeting_attended" | "meeting_excused" | "meeting_absent" => {
            return DEFAULT_RULES.iter().find(|r| r.0 == kind).map(|r| r.0)
        }
        "training_attended"
        | "training_absent"
        | "inspection_attended"
        | "sitting_in_attended"
        | "group_activity_attended"
        | "group_activity_absent" => return DEFAULT_RULES.iter().find(|r| r.0 == kind).map(|r| r.0),
        "training_excused" | "inspection_excused" | "group_activity_excused" | "sitting_in_excused" => {
            "meeting_excused"
        }
        "inspection_absent" | "sitting_in_absent" => "meeting_absent",
        "duty_no_show" => "duty_no_show",
        "opinion_answered" => "opinion_answered",
        "opinion_collected" => "opinion_collected",
        "duty_report_delivered" => "duty_report_delivered",
        "project_voted" => "project_voted",
        "project_inspected" => "project_inspected",
        "course_completed" => "training_attended",
        "consultation_answered" => "consultation_answered",
        "suggestion_filed" => "suggestion_filed",
        "suggestion_cosigned" => "suggestion_cosigned",
        "suggestion_key" => "suggestion_key",
        "suggestion_excellent" => "suggestion_excellent",
        _ => return None,
    })
}

/// Points actually granted against a cap, with the note to keep when the cap bit.
/// Caps limit gains only; deductions are never capped.
pub fn apply_cap(requested: i32, so_far: i32, cap: Option<i32>) -> (i32, Option<String>) {
    match cap {
        Some(cap) if requested > 0 => {
            let room = (cap - so_far).max(0);
            if requested > room {
                (room, Some(format!("cap {cap} reached: {room} of {requested} granted")))
            } else {
                (requested, None)
            }
        }
        _ => (requested, None),
    }
}

/// Kept ranking rows: (year, scope, deputy) → points.
pub type RankRows = std::collections::HashMap<(i32, String, i64), i64>;

/// How kept ranking rows change ([`rank_diff`]).
#[derive(Debug, Default, PartialEq)]
pub struct RankChange {
    /// Rows to remove.
    pub gone: Vec<(i32, String, i64)>,
    /// Rows to write: new, or with new points.
    pub set: RankRows,
    /// The change of each (year, scope, points) count; none is zero.
    pub deltas: std::collections::HashMap<(i32, String, i64), i64>,
}

/// How kept ranking rows move from `old` to `want`.
pub fn rank_diff(old: &RankRows, want: &RankRows) -> RankChange {
    let (mut gone, mut set, mut deltas) = (vec![], RankRows::new(), std::collections::HashMap::new());
    for (k, p) in old {
        match want.get(k) {
            Some(q) if q == p => {}
            Some(_) => *deltas.entry((k.0, k.1.clone(), *p)).or_insert(0) -= 1,
            None => {
                gone.push(k.clone());
                *deltas.entry((k.0, k.1.clone(), *p)).or_insert(0) -= 1;
            }
        }
    }
    for (k, q) in want {
        if old.get(k) != Some(q) {
            set.insert(k.clone(), *q);
            *deltas.entry((k.0, k.1.clone(), *q)).or_insert(0) += 1;
        }
    }
    deltas.retain(|_, n| *n != 0);
    RankChange { gone, set, deltas }
}

/// A ranking of (deputy, total) listed highest first, with competition ranks: equal totals share
/// a rank, the next total's rank counts everyone above it (1, 2, 2, 4 …).
pub fn ranked(list: &[(i64, i64)]) -> Vec<(i64, i64, usize)> {
    let mut rank = 0;
    list.iter()
        .enumerate()
        .map(|(i, (d, p))| {
            if i == 0 || list[i - 1].1 != *p {
                rank = i + 1;
            }
            (*d, *p, rank)
        })
        .collect()
}

/// Region ids on a path ("/1/3/7/" → 1, 3, 7), root first.
pub fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

/// The rule to apply: among the versions of `code` in effect on `day` (YYYY-MM-DD), those of the
/// most local congress on the deputy's `path` that has any (a lower congress inherits its
/// parent's rules; region 0 is the installation's default), newest version first.
pub fn pick<'a>(
    book: &'a [super::store::RuleRow],
    code: &str,
    day: &str,
    path: &str,
) -> Option<&'a super::store::RuleRow> {
    let in_force = |r: &&super::store::RuleRow| {
        r.code == code
            && r.effective_from.as_deref().is_none_or(|f| f <= day)
            && r.effective_to.as_deref().is_none_or(|t| t >= day)
    };
    let mut chain = path_ids(path);
    chain.reverse();
    chain.push(0);
    chain
        .into_iter()
        .find_map(|region| book.iter().filter(in_force).filter(|r| r.region_id == region).max_by_key(|r| r.version))
}

/// The fields an entry's hash covers, in a fixed order.
pub struct Canonical<'a> {
    pub deputy_id: i64,
    pub rule_id: i64,
    pub rule_code: &'a str,
    pub points: i32,
    pub requested_points: i32,
    pub cap_note: Option<&'a str>,
    pub occurred_at: &'a str,
    pub recorded_at: &'a str,
    pub source_kind: &'a str,
    pub source_id: &'a str,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
    pub reverses: Option<i64>,
}

/// `SHA-256(prev_hash ‖ canonical bytes)`, hex.
pub fn chain_hash(prev: &str, e: &Canonical) -> String {
    let canonical = serde_json::json!([
        e.deputy_id,
        e.rule_id,
        e.rule_code,
        e.points,
        e.requested_points,
        e.cap_note,
        e.occurred_at,
        e.recorded_at,
        e.source_kind,
        e.source_id,
        e.actor,
        e.reason,
        e.reverses
    ]);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(canonical.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// A timestamp as the hash covers it: the text of `format("%Y-%m-%dT%H:%M:%S%.6fZ")`, written
/// without chrono's format-string parser (two per entry on the award path).
pub fn canonical_time(t: chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let nanos = t.nanosecond();
    if !(0..=9999).contains(&t.year()) || nanos >= 1_000_000_000 {
        return t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    }
    let mut s = String::with_capacity(27);
    let (y, mo, d, h, mi, se) = (t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second());
    let _ = write!(s, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}.{:06}Z", nanos / 1_000);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_times_are_chronos_text() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        for t in [
            day.and_hms_opt(0, 0, 0).unwrap(),
            day.and_hms_micro_opt(12, 30, 1, 120).unwrap(),
            day.and_hms_nano_opt(12, 30, 1, 123_456_789).unwrap(),
            day.and_hms_milli_opt(23, 59, 59, 1_500).unwrap(),
            chrono::NaiveDate::from_ymd_opt(12026, 1, 1).unwrap().and_hms_opt(1, 2, 3).unwrap(),
            chrono::NaiveDate::from_ymd_opt(7, 12, 31).unwrap().and_hms_opt(1, 2, 3).unwrap(),
        ] {
            assert_eq!(canonical_time(t), t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(), "{t:?}");
        }
    }

    #[test]
    fn caps_grant_what_is_left_and_say_so() {
        assert_eq!(apply_cap(2, 18, Some(20)), (2, None));
        let (p, note) = apply_cap(3, 19, Some(20));
        assert_eq!(p, 1);
        assert!(note.unwrap().contains("cap 20"));
        assert_eq!(apply_cap(2, 20, Some(20)).0, 0);
        assert_eq!(apply_cap(-10, 100, Some(20)), (-10, None));
    }

    #[test]
    fn hash_changes_with_any_field() {
        let e = Canonical {
            deputy_id: 1,
            rule_id: 2,
            rule_code: "x",
            points: 2,
            requested_points: 2,
            cap_note: None,
            occurred_at: "2026-01-01T00:00:00Z",
            recorded_at: "2026-01-01T00:00:00Z",
            source_kind: "checkin",
            source_id: "9",
            actor: "system",
            reason: None,
            reverses: None,
        };
        let a = chain_hash(GENESIS, &e);
        assert_eq!(a.len(), 64);
        assert_ne!(a, chain_hash(GENESIS, &Canonical { points: 3, ..e }));
        assert_ne!(a, chain_hash(&a, &Canonical { points: 2, rule_code: "x", ..Canonical { ..e } }));
    }

    #[test]
    fn events_map_to_rules() {
        assert_eq!(rule_for_event("station_reception"), Some("station_reception"));
        assert_eq!(rule_for_event("meeting_absent"), Some("meeting_absent"));
        assert_eq!(rule_for_event("event_checkin"), None);
    }

    #[test]
    fn a_rank_diff_moves_counts_with_the_rows() {
        let row = |y: i32, s: &str, d: i64| (y, s.to_string(), d);
        let old: RankRows = [(row(2026, "all", 1), 10), (row(2026, "g1", 1), 10), (row(2026, "all", 2), 5)].into();
        // Deputy 1 gains 3 and leaves group 1 for group 2; deputy 2 is unchanged; deputy 3 arrives.
        let want: RankRows =
            [(row(2026, "all", 1), 13), (row(2026, "g2", 1), 13), (row(2026, "all", 2), 5), (row(2026, "all", 3), 10)]
                .into();
        let RankChange { gone, set, deltas } = rank_diff(&old, &want);
        assert_eq!(gone, vec![row(2026, "g1", 1)]);
        assert_eq!(set, [(row(2026, "all", 1), 13), (row(2026, "g2", 1), 13), (row(2026, "all", 3), 10)].into());
        // all@10: deputy 1 left, deputy 3 came (no change, left out); all@13 +1; g1@10 −1; g2@13 +1.
        let want_deltas: std::collections::HashMap<_, _> =
            [(row(2026, "all", 13), 1), (row(2026, "g1", 10), -1), (row(2026, "g2", 13), 1)].into();
        assert_eq!(deltas, want_deltas);
        assert_eq!(rank_diff(&want, &want), RankChange::default());
    }
}
