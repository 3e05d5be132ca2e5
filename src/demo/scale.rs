//! `lvzhi seed-scale --deputies N`: a congress of realistic shape and size for load tests. A
//! province (规模省, code 99) of cities (one per 60,000 deputies), each with ten counties of ten
//! townships; a deputy group per county; township seats spread evenly; one liaison station per
//! 25 deputies; and a year so far of duty: a check-in on each month's reception day at the
//! deputy's own station, the year's ledger entries through the real posting path (caps, hash
//! chains, balances, totals, leaderboard outbox) and `notices` notices to every city. Multi-row
//! inserts, 1,000 deputies to a transaction, so memory stays flat whatever N is.

use super::scale_year::{ledger, year_of_checkins};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::org::rules;
use crate::org::seeding as deputy_store;
use crate::org::seeding as station_store;
use crate::org::seeding::{self as store, NewDeputy, NewSeat, NewStation};
use crate::state::AppState;
use chrono::{Datelike, Duration, NaiveDateTime, TimeZone};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// Where this process's run of public codes starts (deputy and station numbers count from it, so
/// their codes never repeat within a seeding).
static RUN: std::sync::LazyLock<u64> = std::sync::LazyLock::new(rand::random);

/// Deputies in one transaction (whole stations: a multiple of [`PER_STATION`]).
const BATCH: usize = 1000;
/// Deputies per station.
pub(super) const PER_STATION: usize = 25;

/// What was made, and how long each part took (seconds).
#[derive(Debug, Default)]
pub struct Scale {
    pub deputies: usize,
    pub stations: usize,
    pub checkins: usize,
    pub entries: usize,
    pub notices: usize,
    pub inbox_rows: usize,
    /// The cities made (60,000 deputies each, the last one the rest).
    pub cities: Vec<i64>,
    pub timings: Vec<(&'static str, f64)>,
}

/// A township with its county's group.
#[derive(Clone, Copy)]
struct Town {
    id: i64,
    group: i64,
}

/// Seeds `deputies` deputies with a year of duty and `notices` notices per city. Refuses to run
/// twice on one database (the province exists).
pub async fn seed(state: &AppState, deputies: usize, notices: usize) -> AppResult<Scale> {
    let (now, tz, pii) = (state.now(), state.settings.tz, state.pii.clone());
    let mut out = Scale { deputies, ..Default::default() };
    let t = Instant::now();
    let cities = deputies.div_ceil(60_000).max(1);
    let (towns, city_ids) = db::tx(&state.db, move |c| regions(c, cities, now)).await?;
    out.timings.push(("regions and groups", t.elapsed().as_secs_f64()));
    let local_now = tz.from_utc_datetime(&now);
    let jan1 = tz.with_ymd_and_hms(local_now.year(), 1, 1, 9, 0, 0).earliest().map(|x| x.naive_utc()).unwrap_or(now);
    let (mut t_dir, mut t_ci, mut t_ledger) = (0.0, 0.0, 0.0);
    for start in (0..deputies).step_by(BATCH) {
        let end = (start + BATCH).min(deputies);
        let (towns, pii) = (towns.clone(), pii.clone());
        let t = Instant::now();
        let (made, stations) = db::tx(&state.db, move |c| directory(c, &towns, start, end, deputies, now)).await?;
        t_dir += t.elapsed().as_secs_f64();
        out.stations += stations.len();
        let t = Instant::now();
        let ids: Vec<i64> = made.iter().map(|m| m.0).collect();
        let n = db::tx(&state.db, move |c| year_of_checkins(c, &pii, &made, &stations, jan1, now, tz)).await?;
        out.checkins += n;
        t_ci += t.elapsed().as_secs_f64();
        let t = Instant::now();
        out.entries += db::tx(&state.db, move |c| ledger(c, &ids, jan1, now, tz)).await?;
        t_ledger += t.elapsed().as_secs_f64();
        if (start / BATCH + 1).is_power_of_two() {
            db::run(&state.db, refresh_statistics).await?;
        }
    }
    out.timings.push(("deputies, seats and stations", t_dir));
    out.timings.push(("check-ins", t_ci));
    out.timings.push(("ledger entries", t_ledger));
    let t = Instant::now();
    let quiet = state.settings.quiet_hours;
    out.cities = city_ids.clone();
    for city in city_ids {
        for k in 0..notices {
            let at = jan1 + Duration::days((k as i64 * 27) % 330);
            let reached = db::tx(&state.db, move |c| notice(c, city, k, at.min(now), tz, quiet)).await?;
            out.notices += 1;
            out.inbox_rows += reached;
        }
    }
    out.timings.push(("notices", t.elapsed().as_secs_f64()));
    Ok(out)
}

/// Fresh PostgreSQL statistics of the tables the seed fills, each time the seeded count doubles.
/// Autovacuum refreshes them too rarely while tables grow this fast, and a batch's reads were then
/// planned for tables a fraction of their size: its check-ins were read by a parallel sequential
/// scan of all check-ins (quadratic — the nation seed fell from 54,000 to 24,000 deputies a
/// minute by 1.4 M deputies; an `ANALYZE` by hand brought it back at once).
fn refresh_statistics(c: &mut AnyConnection) -> AppResult<()> {
    let filled = [
        "deputies",
        "seats",
        "stations",
        "checkins",
        "ledger_entries",
        "ledger_heads",
        "ledger_balances",
        "ledger_totals",
    ];
    db::analyze(c, &filled)
}

/// The province, its cities, counties (with a group each) and townships.
fn regions(c: &mut AnyConnection, cities: usize, now: NaiveDateTime) -> AppResult<(Vec<Town>, Vec<i64>)> {
    if store::region_by_code(c, "990000")?.is_some() {
        return Err(AppError::conflict(
            Code::AlreadyExists,
            "seed-scale has run on this database already (region 990000 exists)",
        ));
    }
    let province = store::insert_region(c, "990000", "规模省", None, "province", now)?;
    let (mut towns, mut city_ids) = (vec![], vec![]);
    for ci in 1..=cities {
        let city =
            store::insert_region(c, &format!("99{ci:02}00"), &format!("规模省第{ci}市"), Some(&province), "city", now)?;
        city_ids.push(city.id);
        for k in 1..=10 {
            let code = format!("99{ci:02}{k:02}");
            let county = store::insert_region(c, &code, &format!("第{ci}市第{k}县"), Some(&city), "county", now)?;
            let group = store::insert_group(c, county.id, &format!("第{ci}市第{k}县代表小组"), 18, now)?;
            for t in 1..=10 {
                let town = store::insert_region(
                    c,
                    &format!("{code}{t:03}"),
                    &format!("第{ci}市第{k}县第{t}乡镇"),
                    Some(&county),
                    "township",
                    now,
                )?;
                towns.push(Town { id: town.id, group });
            }
        }
    }
    Ok((towns, city_ids))
}

/// Deputies `start..end` (of `total`) with their seats and the stations that open with them;
/// answers (deputy id, index) of the deputies and (station id, position) of every station the
/// batch's deputies use.
#[allow(clippy::type_complexity)]
fn directory(
    c: &mut AnyConnection,
    towns: &[Town],
    start: usize,
    end: usize,
    total: usize,
    now: NaiveDateTime,
) -> AppResult<(Vec<(i64, usize)>, Vec<(i64, (f64, f64))>)> {
    let per_town = total.div_ceil(towns.len()).max(1);
    let town_of = |i: usize| towns[(i / per_town).min(towns.len() - 1)];
    let names: Vec<String> = (start..end).map(|i| format!("规模代表{i}")).collect();
    let codes: Vec<String> = (start..end).map(|i| rules::public_code_in_run('D', *RUN, i as u64)).collect();
    let rows: Vec<NewDeputy> = (start..end)
        .map(|i| NewDeputy {
            name: &names[i - start],
            gender: if i % 8 < 3 { "female" } else { "male" },
            phone: None,
            photo_url: None,
            introduction: None,
            public_code: &codes[i - start],
            created_at: now,
            updated_at: now,
        })
        .collect();
    let ids: std::collections::HashMap<String, i64> =
        deputy_store::insert_deputies(c, &rows)?.into_iter().map(|(id, code)| (code, id)).collect();
    let made: Vec<(i64, usize)> = (start..end).filter_map(|i| ids.get(&codes[i - start]).map(|id| (*id, i))).collect();
    let units: Vec<String> = made.iter().map(|(_, i)| format!("第{}选区", i % 40 + 1)).collect();
    let seats: Vec<NewSeat> = made
        .iter()
        .zip(&units)
        .map(|((id, i), unit)| NewSeat {
            deputy_id: *id,
            level: "township",
            region_id: town_of(*i).id,
            term: 18,
            electoral_unit: Some(unit),
            group_id: Some(town_of(*i).group),
            status: "active",
            status_date: None,
            created_at: now,
        })
        .collect();
    deputy_store::insert_seats(c, &seats)?;
    // Station k serves deputies k*25 .. k*25+24 (a batch holds whole stations).
    let (first, last) = (start / PER_STATION, (end - 1) / PER_STATION);
    let position = |k: usize| (30.0 + (k % 500) as f64 * 0.01, 116.0 + (k / 500 % 500) as f64 * 0.01);
    let names: Vec<String> = (first..=last).map(|k| format!("第{k}代表联络站")).collect();
    let codes: Vec<String> = (first..=last).map(|k| rules::public_code_in_run('S', *RUN, k as u64)).collect();
    let new: Vec<NewStation> = (first..=last)
        .map(|k| NewStation {
            region_id: town_of(k * PER_STATION).id,
            kind: "station",
            name: &names[k - first],
            address: "规模省",
            latitude: position(k).0,
            longitude: position(k).1,
            radius_m: rules::DEFAULT_RADIUS_M,
            opening_hours: Some("每月15日为代表接待日"),
            contact_name: None,
            contact_phone: None,
            public_code: &codes[k - first],
            created_at: now,
            updated_at: now,
        })
        .collect();
    let by_code: std::collections::HashMap<String, i64> =
        station_store::insert_stations(c, &new)?.into_iter().map(|(id, code)| (code, id)).collect();
    let mut rng = StdRng::seed_from_u64(start as u64);
    let mut stations = vec![];
    for k in first..=last {
        let id = *by_code.get(&codes[k - first]).ok_or_else(|| AppError::internal("a seeded station is missing"))?;
        // Phones report a little off the station's own point.
        let p = position(k);
        stations.push((id, (p.0 + rng.random_range(-0.0002..0.0002), p.1 + rng.random_range(-0.0002..0.0002))));
    }
    Ok((made, stations))
}

/// Publishes the `k`th notice of the year to every deputy of `city`; answers the deputies reached.
fn notice(
    c: &mut AnyConnection,
    city: i64,
    k: usize,
    at: NaiveDateTime,
    tz: chrono_tz::Tz,
    quiet: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
) -> AppResult<usize> {
    const KINDS: [(&str, &str); 3] = [("meeting", "会议通知"), ("study", "学习资料"), ("briefing", "情况通报")];
    let (kind, label) = KINDS[k % KINDS.len()];
    let path = crate::org::region_path(c, city)?.ok_or_else(AppError::not_found)?;
    let audience = crate::notices::Audience { regions: vec![city], ..Default::default() };
    let title = format!("{label}（第{}期）", k + 1);
    let (_, reached, _) = crate::notices::publish_from_system(
        c,
        (city, &path),
        (kind, &title, "各位代表：请在履职App中查看。"),
        &audience,
        at,
        tz,
        quiet,
    )?;
    Ok(reached)
}
