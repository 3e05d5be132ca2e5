//! The demo's activity on top of its directory: the calendar, duty and events, a year of points,
//! suggestions, a duty report, the livelihood projects, the liaison links, fixed contacts, a
//! course and the consultations.

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::platform::pii::Pii;
use chrono::NaiveDateTime;

pub fn seed(c: &mut AnyConnection, pii: &Pii, now: NaiveDateTime, tz: chrono_tz::Tz) -> AppResult<()> {
    super::calendar::seed(c)?;
    super::duty::seed(c, pii, now, tz)?;
    while crate::ledger::consume_point_events_in(c, tz, now)? > 0 {}
    super::points::seed(c, 400, now, tz)?;
    let year = chrono::Datelike::year(&crate::db::utc(now).with_timezone(&tz));
    super::suggestions::seed(c, now, year)?;
    super::duty_reports::seed(c, now)?;
    super::projects::seed(c, now, year)?;
    super::liaison::seed(c, now)?;
    super::coverage::seed(c, pii, now)?;
    super::consultations::seed(c, pii, now, tz)
}
