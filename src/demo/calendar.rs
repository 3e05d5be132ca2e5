//! Demo holiday calendar: the public holidays and make-up working days of 2026 as published for
//! the mainland (demo data — staff keep the real calendar through `PUT /api/v1/calendar/{day}`
//! and should check it against the State Council's notice).

use crate::db::AnyConnection;
use crate::error::AppResult;

const DAYS_OFF: [(&str, &str, u32); 7] = [
    ("2026-01-01", "元旦", 3),
    ("2026-02-15", "春节", 9),
    ("2026-04-04", "清明节", 3),
    ("2026-05-01", "劳动节", 5),
    ("2026-06-19", "端午节", 3),
    ("2026-09-25", "中秋节", 3),
    ("2026-10-01", "国庆节", 7),
];

const WORKED_WEEKEND_DAYS: [(&str, &str); 6] = [
    ("2026-01-04", "元旦调休上班"),
    ("2026-02-14", "春节调休上班"),
    ("2026-02-28", "春节调休上班"),
    ("2026-05-09", "劳动节调休上班"),
    ("2026-09-20", "国庆节调休上班"),
    ("2026-10-10", "国庆节调休上班"),
];

pub fn seed(c: &mut AnyConnection) -> AppResult<()> {
    for (first, name, days) in DAYS_OFF {
        let Ok(start) = first.parse::<chrono::NaiveDate>() else { continue };
        for d in 0..days {
            let day = start + chrono::Duration::days(i64::from(d));
            crate::reception::set_workday(c, &day.to_string(), false, name)?;
        }
    }
    for (day, name) in WORKED_WEEKEND_DAYS {
        crate::reception::set_workday(c, day, true, name)?;
    }
    Ok(())
}
