//! Demo check-in data: a reception roster for the coming week, a past and an upcoming event, and
//! four weeks of past check-ins with their point events.

use crate::checkins::seeding::{self as checkins, NewCheckin, NewMeeting};
use crate::db::stamp::Stamp;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::{Duration, NaiveDateTime, TimeZone};

fn local(tz: chrono_tz::Tz, now: NaiveDateTime, days: i64, hour: u32, minute: u32) -> NaiveDateTime {
    let day = tz.from_utc_datetime(&now).date_naive() + Duration::days(days);
    day.and_hms_opt(hour, minute, 0)
        .and_then(|t| tz.from_local_datetime(&t).earliest())
        .map(|t| t.naive_utc())
        .unwrap_or(now)
}

pub fn seed(
    c: &mut AnyConnection,
    pii: &crate::platform::pii::Pii,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> AppResult<()> {
    let stations: Vec<crate::org::StationGeo> = crate::org::all_station_geos(c)?;
    // Roster: the first four stations receive constituents every morning of the coming week.
    for day in 0..7 {
        for (i, s) in stations.iter().take(4).enumerate() {
            let (starts, ends) = (local(tz, now, day, 9, 0), local(tz, now, day, 11, 30));
            let slot = checkins::insert_slot(c, s.id, starts, ends, Some("代表接待日"), now)?;
            for k in 0..2i64 {
                // The demo deputy (id 1) leads the first station's roster every day, so an
                // opinion left there in the demo reaches the deputy one can log in as.
                let deputy = if i == 0 && k == 0 { 1 } else { 1 + (day * 8 + i as i64 * 2 + k) % 400 };
                checkins::assign(c, slot, deputy)?;
            }
        }
    }
    // Past check-ins: 30 deputies, once a week for four weeks, at a station near them.
    for week in 1..=4i64 {
        for d in 1..=30i64 {
            let s = &stations[(d as usize) % stations.len()];
            let at = local(tz, now, -7 * week + d % 5, 9, 10 + (d % 30) as u32);
            let id = checkins::insert(
                c,
                &NewCheckin {
                    deputy_id: d,
                    station_id: Some(s.id),
                    event_id: None,
                    status: "accepted",
                    qr_valid: true,
                    inside_geofence: true,
                    distance_m: Some(12.0),
                    accuracy_m: Some(20.0),
                    position_enc: Some(crate::checkins::seal_position(pii, (s.latitude, s.longitude))),
                    offline: false,
                    staff_confirmed: false,
                    impossible_travel: false,
                    reasons: "",
                    checked_in_at: Stamp(at),
                    recorded_at: Stamp(at),
                    recorded_by: 1,
                    checked_out_at: Some(Stamp(at + Duration::minutes(150))),
                },
            )?;
            crate::ledger::note(
                c,
                crate::ledger::PointEvent { deputy: d, kind: "station_reception", source: ("checkin", id), at },
                now,
            )?;
        }
    }
    // Events: a training last week, a standing-committee meeting next week.
    let region = crate::org::seeding::region_by_code(c, "340100")?.ok_or_else(crate::error::AppError::not_found)?.id;
    for (kind, title, days, invitees) in [
        ("training", "新任代表履职能力培训班", -6i64, 1..=40i64),
        ("sitting_in", "市人大常委会第二十次会议（列席）", 8, 1..=30),
    ] {
        let meeting = NewMeeting {
            region_id: region,
            kind,
            title,
            station_id: None,
            venue: Some("合肥市政务中心"),
            pos: (31.8206, 117.2272),
            radius_m: 300,
            starts_at: local(tz, now, days, 9, 0),
            ends_at: local(tz, now, days, 17, 0),
            by: 1,
            now,
        };
        let id = checkins::insert_meeting(c, &meeting)?;
        checkins::invite(c, id, &invitees.collect::<Vec<_>>())?;
    }
    Ok(())
}
