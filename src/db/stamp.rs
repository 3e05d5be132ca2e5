//! [`Stamp`]: a UTC timestamp bound as a query parameter without chrono's format-string parser.
//!
//! diesel binds a `NaiveDateTime` on SQLite as text made by `format("%F %T%.f")`, which parses the
//! format string on every bind; a check-in binds seven timestamps, and on the SQLite writer
//! thread that parsing was about 5 % of its time. A `Stamp` writes the same text digit by digit
//! (on PostgreSQL it binds exactly as a `NaiveDateTime` does). Read back, it is the same column.

use chrono::{Datelike, NaiveDateTime, Timelike};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Timestamp;
use diesel::sqlite::Sqlite;

/// A timestamp for the rows the hot paths insert (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, AsExpression)]
#[diesel(sql_type = Timestamp)]
pub struct Stamp(pub NaiveDateTime);

impl From<NaiveDateTime> for Stamp {
    fn from(t: NaiveDateTime) -> Self {
        Stamp(t)
    }
}

fn push_digits(s: &mut String, v: u32, width: u32) {
    for i in (0..width).rev() {
        s.push(char::from(b'0' + (v / 10u32.pow(i) % 10) as u8));
    }
}

/// `YYYY-MM-DD` (chrono's `%F` for years 0–9999).
fn push_date(s: &mut String, t: NaiveDateTime) {
    push_digits(s, t.year() as u32, 4);
    s.push('-');
    push_digits(s, t.month(), 2);
    s.push('-');
    push_digits(s, t.day(), 2);
}

fn push_time(s: &mut String, t: NaiveDateTime) {
    push_digits(s, t.hour(), 2);
    s.push(':');
    push_digits(s, t.minute(), 2);
    s.push(':');
    push_digits(s, t.second(), 2);
}

/// `YYYY-MM-DD` of a date (chrono's `%Y-%m-%d`).
pub fn day(d: chrono::NaiveDate) -> String {
    if !(0..=9999).contains(&d.year()) {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut s = String::with_capacity(10);
    push_date(&mut s, d.and_time(chrono::NaiveTime::MIN));
    s
}

/// The text diesel's SQLite binding of a `NaiveDateTime` gives (`%F %T%.f`: no fraction when it
/// is zero, else 3, 6 or 9 digits).
pub fn text(t: NaiveDateTime) -> String {
    let (year, nanos) = (t.year(), t.nanosecond());
    // Years of more than four digits and leap seconds: chrono's own formatting.
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return t.format("%F %T%.f").to_string();
    }
    let mut s = String::with_capacity(29);
    push_date(&mut s, t);
    s.push(' ');
    push_time(&mut s, t);
    if nanos != 0 {
        s.push('.');
        match (nanos % 1_000_000, nanos % 1_000) {
            (0, _) => push_digits(&mut s, nanos / 1_000_000, 3),
            (_, 0) => push_digits(&mut s, nanos / 1_000, 6),
            _ => push_digits(&mut s, nanos, 9),
        }
    }
    s
}

impl ToSql<Timestamp, Sqlite> for Stamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(text(self.0));
        Ok(IsNull::No)
    }
}

impl ToSql<Timestamp, Pg> for Stamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        ToSql::<Timestamp, Pg>::to_sql(&self.0, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_text_is_what_chrono_formats() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        let cases = [
            day.and_hms_opt(0, 0, 0).unwrap(),
            day.and_hms_opt(9, 5, 3).unwrap(),
            day.and_hms_milli_opt(23, 59, 59, 7).unwrap(),
            day.and_hms_micro_opt(12, 30, 1, 120).unwrap(),
            day.and_hms_nano_opt(12, 30, 1, 123_456_789).unwrap(),
            day.and_hms_nano_opt(12, 30, 1, 5).unwrap(),
            day.and_hms_milli_opt(23, 59, 59, 1_500).unwrap(),
            NaiveDate::from_ymd_opt(12026, 1, 1).unwrap().and_hms_opt(1, 2, 3).unwrap(),
            NaiveDate::from_ymd_opt(7, 12, 31).unwrap().and_hms_opt(1, 2, 3).unwrap(),
        ];
        for t in cases {
            assert_eq!(text(t), t.format("%F %T%.f").to_string(), "{t:?}");
            assert_eq!(super::day(t.date()), t.format("%Y-%m-%d").to_string(), "{t:?}");
        }
    }
}
