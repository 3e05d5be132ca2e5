//! Demo 述职评议: the demo deputy's report to the voters of 明光路街道 scheduled two weeks ahead at
//! the first station, 30 representatives of the electoral unit registered — ready for the deputy
//! to draft and submit and for staff to approve (or move to today to hold the session at once).

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::reports::seeding::{insert_scheduled, Schedule};
use chrono::NaiveDateTime;

pub fn seed(c: &mut AnyConnection, now: NaiveDateTime) -> AppResult<()> {
    let (_, region, term) =
        crate::org::seeding::seat_keys(c, &[1])?.into_iter().next().ok_or_else(AppError::not_found)?;
    let path = crate::org::region_path(c, region)?.ok_or_else(AppError::not_found)?;
    let station = crate::org::all_station_geos(c)?.first().map(|s| s.id).ok_or_else(AppError::not_found)?;
    let at = (now + chrono::Duration::days(14)).date().and_hms_opt(7, 0, 0).unwrap_or(now);
    let s = Schedule {
        deputy: 1,
        region_path: &path,
        term,
        station,
        electoral_unit: Some("明光路街道选区"),
        representatives: 30,
        at,
    };
    insert_scheduled(c, &s, now)?;
    Ok(())
}
