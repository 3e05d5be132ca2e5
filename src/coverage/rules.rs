//! Pure rules of the coverage view: the obligations, the term's years, shares and the CSV.

use chrono::{Datelike, NaiveDate};

/// (code, name) of each obligation, in the order shown.
pub const OBLIGATIONS: [(&str, &str); 8] = [
    ("linked", "双联系：有常委会组成人员或上级代表联系"),
    ("contacted", "本年度与联系人有联系记录"),
    ("fixed_contacts", "联系群众：固定联系对象按频次走访"),
    ("trained", "届内参加培训学习"),
    ("initial_training", "新任代表按期完成初任培训"),
    ("sat_in", "基层代表届内列席常委会会议"),
    ("reported", "届内向选民述职"),
    ("group_activities", "本年度代表小组活动达到最低次数"),
];

/// Deputy levels that sit in on standing-committee meetings (基层代表).
pub const GRASSROOTS: [&str; 2] = ["county", "township"];

/// The term's years: the five up to the congress's duty-report year, else the five up to this
/// one.
pub fn term_years(due_year: Option<i32>, today: NaiveDate) -> (i32, i32) {
    let last = due_year.unwrap_or(today.year());
    (last - 4, last)
}

/// Whether a seat that started on `start` had its initial training due by `today`: (due, the
/// last day).
pub fn initial_due(start: NaiveDate, days: i64, today: NaiveDate) -> (bool, NaiveDate) {
    let by = start + chrono::Duration::days(days);
    (by < today, by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_term_runs_five_years_to_the_report_year() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(term_years(Some(2027), d), (2023, 2027));
        assert_eq!(term_years(None, d), (2022, 2026));
    }

    #[test]
    fn initial_training_is_due_after_its_period() {
        let s = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert!(initial_due(s, 30, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).0);
        assert!(!initial_due(s, 365, NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).0);
    }
}
