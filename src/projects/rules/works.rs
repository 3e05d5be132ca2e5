//! Pure rules of carrying out the adopted projects: a milestone's date, a progress report's
//! quarter and figures, the red light (a milestone past its date and not done), and what the
//! lead unit is texted.

use chrono::NaiveDate;

/// Unit roles on a project.
pub const LEAD: &str = "lead";
pub const CO: &str = "co";
/// The most co-units of one project.
pub const MAX_CO_UNITS: usize = 20;
/// The most photos of one progress report.
pub const MAX_PHOTOS: usize = 9;

/// A calendar date written `YYYY-MM-DD`.
pub fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().filter(|d| d.format("%Y-%m-%d").to_string() == s)
}

/// A quarter written `YYYY-Qn` (n 1–4) within the years 2000–2200.
pub fn quarter(s: &str) -> Option<(i32, u32)> {
    let (y, q) = s.split_once("-Q")?;
    let (y, q) = (y.parse::<i32>().ok()?, q.parse::<u32>().ok()?);
    ((2000..=2200).contains(&y) && (1..=4).contains(&q) && s.len() == 7).then_some((y, q))
}

/// Whether a milestone shows red on `today`: past its date and not done.
pub fn overdue(due_on: &str, done_on: Option<&str>, today: NaiveDate) -> bool {
    done_on.is_none() && date(due_on).is_some_and(|d| d < today)
}

/// The text to the lead unit about an overdue milestone.
pub fn overdue_text(project: &str, milestone: &str, due_on: &str) -> String {
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    format!(
        "【履职】民生实事项目《{}》的节点“{}”已过计划完成日{due_on}，请尽快推进并报送进展。",
        cut(project, 30),
        cut(milestone, 30)
    )
}

pub use crate::org::rules::ancestors;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_quarters_and_the_red_light() {
        assert!(date("2027-02-28").is_some());
        assert!(date("2027-02-30").is_none() && date("2027-2-3").is_none() && date("x").is_none());
        assert_eq!(quarter("2027-Q3"), Some((2027, 3)));
        assert_eq!(quarter("2027-Q5"), None);
        assert_eq!(quarter("2027-Q03"), None);
        let today = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        assert!(overdue("2027-05-31", None, today));
        assert!(!overdue("2027-06-01", None, today));
        assert!(!overdue("2027-05-31", Some("2027-05-30"), today));
        assert_eq!(ancestors("/1/5/23/"), vec!["/1/", "/1/5/", "/1/5/23/"]);
    }
}
