//! The year so far of the scale seeder's deputies: a check-in each reception day and the
//! year's ledger through the real posting path.

use super::scale::PER_STATION;
use crate::checkins::seal_position;
use crate::checkins::seeding::{self as checkins, NewCheckin};
use crate::db::stamp::Stamp;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::ledger::{self as posting, Award};
use crate::platform::pii::Pii;
use chrono::{Datelike, Duration, NaiveDateTime, TimeZone};
use rand::rngs::StdRng;
use rand::SeedableRng;

/// One accepted check-in per month so far, on the 15th (reception day) at the deputy's station,
/// two and a half hours long, its position sealed.
pub(super) fn year_of_checkins(
    c: &mut AnyConnection,
    pii: &Pii,
    made: &[(i64, usize)],
    stations: &[(i64, (f64, f64))],
    jan1: NaiveDateTime,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> AppResult<usize> {
    let base = made.first().map(|m| m.1 / PER_STATION).unwrap_or(0);
    let local = tz.from_utc_datetime(&jan1);
    let mut rows = vec![];
    for (deputy, i) in made {
        let Some(&(station, pos)) = stations.get(i / PER_STATION - base) else { continue };
        for month in 1..=12u32 {
            let Some(day) = tz.with_ymd_and_hms(local.year(), month, 15, 9, (i % 50) as u32, 0).earliest() else {
                continue;
            };
            let at = day.naive_utc();
            if at > now {
                break;
            }
            rows.push(NewCheckin {
                deputy_id: *deputy,
                station_id: Some(station),
                event_id: None,
                status: "accepted",
                qr_valid: true,
                inside_geofence: true,
                distance_m: Some(18.0),
                accuracy_m: Some(20.0),
                position_enc: Some(seal_position(pii, pos)),
                offline: false,
                staff_confirmed: false,
                impossible_travel: false,
                reasons: "",
                checked_in_at: Stamp(at),
                recorded_at: Stamp(at),
                recorded_by: 0,
                checked_out_at: Some(Stamp(at + Duration::minutes(150))),
            });
        }
    }
    // 17 columns a row: 1,500 rows keep a statement under SQLite's 32,766 variables.
    for chunk in rows.chunks(1500) {
        checkins::insert_rows(c, chunk)?;
    }
    Ok(rows.len())
}

/// The deputies' year in the ledger: the reception days they checked in on, and the meetings,
/// suggestions, group activities, trainings and inspections of the demo's year generator.
pub(super) fn ledger(
    c: &mut AnyConnection,
    ids: &[i64],
    jan1: NaiveDateTime,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> AppResult<usize> {
    let first = ids.first().copied().unwrap_or(0);
    let mut rng = StdRng::seed_from_u64(first as u64);
    let span = (now - jan1).num_days().max(1);
    let year = tz.from_utc_datetime(&now).year();
    let mut awards: Vec<Award> = vec![];
    for (id, deputy, at) in checkins::of_deputies(c, ids)? {
        awards.push(Award {
            deputy_id: deputy,
            rule_code: "station_reception".into(),
            points: None,
            occurred_at: at,
            source_kind: "checkin".into(),
            source_id: id.to_string(),
            actor: "system:seed-scale".into(),
            reason: None,
            reverses: None,
            direct: false,
        });
    }
    for d in ids {
        awards.extend(super::points::year_of(*d, &mut rng, jan1, span, year));
    }
    awards.sort_by_key(|a| a.occurred_at);
    Ok(posting::post_awards(c, &awards, tz, now)?.into_iter().filter(|r| matches!(r, Ok((_, true)))).count())
}
