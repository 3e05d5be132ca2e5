//! Who is on duty at a station: the slots of a day or week with their deputies, the deputies of a
//! station, and the settlement of past slots (attended or missed, through the ledger).

use super::model::{OnDuty, SlotView};
use super::store::roster as store;
use crate::db::{self, utc, AnyConnection};
use crate::error::AppResult;
use crate::ledger::PointEvent;
use crate::state::AppState;
use chrono::TimeZone;
use chrono::{NaiveDate, NaiveDateTime};

pub fn slots_between(
    conn: &mut AnyConnection,
    station: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<SlotView>> {
    let rows = store::slots_between(conn, station, from, to)?;
    views(conn, rows)
}

/// A deputy's duty at any station over `days` days from `today` (each slot naming only them).
pub fn deputy_days(
    conn: &mut AnyConnection,
    deputy: i64,
    today: chrono::NaiveDate,
    days: i64,
    tz: chrono_tz::Tz,
) -> AppResult<Vec<SlotView>> {
    let (from, _) = day_bounds(today, tz);
    let (_, to) = day_bounds(today + chrono::Duration::days(days - 1), tz);
    let rows = store::deputy_slots_between(conn, deputy, from, to)?;
    let mut slots = views(conn, rows)?;
    for s in &mut slots {
        s.deputies.retain(|d| d.deputy_id == deputy);
    }
    Ok(slots)
}

fn views(conn: &mut AnyConnection, rows: Vec<store::SlotRow>) -> AppResult<Vec<SlotView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let assigned = store::assignments(conn, &ids)?;
    let people: Vec<i64> = assigned.iter().map(|a| a.1).collect();
    let names: std::collections::HashMap<i64, String> = crate::org::deputy_names(conn, &people)?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| SlotView {
            id: r.0,
            station_id: r.1,
            starts_at: utc(r.2),
            ends_at: utc(r.3),
            note: r.4,
            version: r.5,
            deputies: assigned
                .iter()
                .filter(|a| a.0 == r.0)
                .map(|a| OnDuty {
                    deputy_id: a.1,
                    name: names.get(&a.1).cloned().unwrap_or_default(),
                    outcome: a.2.clone(),
                })
                .collect(),
        })
        .collect())
}

/// Names of the deputies on duty at a station on a day (for the kiosk page).
pub fn on_duty_names(
    conn: &mut AnyConnection,
    station: i64,
    day: NaiveDate,
    tz: chrono_tz::Tz,
) -> AppResult<Vec<String>> {
    let (from, to) = day_bounds(day, tz);
    let mut names: Vec<String> = slots_between(conn, station, from, to)?
        .into_iter()
        .flat_map(|s| s.deputies.into_iter().map(|d| d.name))
        .collect();
    names.dedup();
    Ok(names)
}

/// The deputy on duty at each station at `now`, or else the next one on duty there within a
/// week (the one who receives an opinion left at the station): station → deputy, one query.
pub fn on_duty_many(
    conn: &mut AnyConnection,
    stations: &[i64],
    now: NaiveDateTime,
) -> AppResult<std::collections::HashMap<i64, i64>> {
    let rows = store::on_duty_from(conn, stations, now)?;
    let mut out = std::collections::HashMap::new();
    for (s, d) in rows {
        out.entry(s).or_insert(d);
    }
    Ok(out)
}

/// A duty slot and the deputies on duty in it.
pub fn slot(conn: &mut AnyConnection, id: i64) -> AppResult<Option<(SlotTimes, Vec<i64>)>> {
    let Some(row) = store::slot_times(conn, id)? else { return Ok(None) };
    let people = store::slot_deputies(conn, id)?;
    Ok(Some((row, people)))
}

/// A station's duty slots of the 7 days from `today` (congress calendar).
pub fn week(
    conn: &mut AnyConnection,
    station: i64,
    today: chrono::NaiveDate,
    tz: chrono_tz::Tz,
) -> AppResult<Vec<SlotView>> {
    days(conn, station, today, 7, tz)
}

/// A station's slots over `n` days from `today`, today included.
pub fn days(
    conn: &mut AnyConnection,
    station: i64,
    today: chrono::NaiveDate,
    n: i64,
    tz: chrono_tz::Tz,
) -> AppResult<Vec<SlotView>> {
    let (from, _) = day_bounds(today, tz);
    let (_, end) = day_bounds(today + chrono::Duration::days(n - 1), tz);
    slots_between(conn, station, from, end)
}

/// Settles ended slots: each deputy on duty is `present` (a check-in at the station during the slot)
/// or `no_show` (recorded, and reported to the ledger). Returns the number of slots settled.
pub async fn settle(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    db::tx(&state.db, move |conn| {
        let ended = store::ended_unsettled(conn, now)?;
        for (slot, station, starts, ends) in &ended {
            let people = store::slot_deputies(conn, *slot)?;
            for d in people {
                let seen =
                    store::checked_in_between(conn, d, *station, *starts - chrono::Duration::minutes(30), *ends)?;
                let outcome = if seen { "present" } else { "no_show" };
                store::set_outcome(conn, *slot, d, outcome)?;
                if !seen {
                    crate::ledger::note(
                        conn,
                        PointEvent { deputy: d, kind: "duty_no_show", source: ("duty_slot", *slot), at: *ends },
                        now,
                    )?;
                }
            }
            store::mark_settled(conn, *slot, now)?;
        }
        Ok(ended.len())
    })
    .await
}

/// Deputies who receive constituents at a station: everyone ever on its roster.
pub fn station_deputies(conn: &mut AnyConnection, station: i64) -> AppResult<Vec<i64>> {
    let mut ids = store::ever_on_duty(conn, station)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// UTC bounds of a calendar day in the congress time zone.
pub fn day_bounds(day: NaiveDate, tz: chrono_tz::Tz) -> (NaiveDateTime, NaiveDateTime) {
    let start = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.naive_utc())
            .unwrap_or_default()
    };
    (start(day), start(day + chrono::Duration::days(1)))
}

/// A duty slot's (station, starts, ends).
pub type SlotTimes = (i64, NaiveDateTime, NaiveDateTime);
