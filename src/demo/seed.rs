//! Seeding the demo congress: its directory, people, stations, duty, notices, points and suggestions,
//! and the first admin of an installation.

use super::places::{person_name, regions, station};
use crate::audit::Entry;
use crate::auth::seeding::{self as accounts, NewAccount};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::rules;
use crate::org::seeding as deputy_store;
use crate::org::seeding as station_store;
use crate::org::seeding::{self as store, NewDeputy, NewSeat};
use crate::state::AppState;
use chrono::NaiveDateTime;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const PASSWORD: &str = "Lvzhi@2026";

pub struct Summary {
    pub password: &'static str,
    pub logins: Vec<(String, String)>,
}

/// Seeds everything: the directory and a month of check-in activity (one transaction), then a
/// published meeting notice with a PDF agenda.
pub async fn seed(state: &AppState) -> AppResult<Summary> {
    let s = seed_with(state, true).await?;
    if let Err(e) = super::notices::seed(state).await {
        tracing::warn!(error = %e, "the demo notice could not be published; the rest of the demo is there");
    }
    Ok(s)
}

/// Seeds the directory only (tests build their own activity on top).
pub async fn seed_directory(state: &AppState) -> AppResult<Summary> {
    seed_with(state, false).await
}

async fn seed_with(state: &AppState, activity: bool) -> AppResult<Summary> {
    let m = state.settings.argon2_m_cost_kib;
    let hash =
        actix_web::web::block(move || crate::auth::hash_password(PASSWORD, m)).await?.map_err(AppError::internal)?;
    let now = state.now();
    let (tz, pii) = (state.settings.tz, state.pii.clone());
    db::tx(&state.db, move |c| {
        let summary = seed_in(c, &hash, now)?;
        if activity {
            super::activity::seed(c, &pii, now, tz)?;
        }
        Ok(summary)
    })
    .await
}

/// Issues a fresh kiosk key for the first demo station and returns the kiosk page path.
pub async fn kiosk_path(state: &AppState) -> AppResult<String> {
    let now = state.now();
    db::tx(&state.db, move |c| {
        let station = crate::org::all_station_geos(c)?.first().map(|s| s.id).ok_or_else(AppError::not_found)?;
        let key = crate::checkins::new_kiosk_key(c, station, now)?;
        Ok(format!("/kiosk/stations/{station}?key={key}"))
    })
    .await
}

/// Prints the demo's pages: the kiosk, and the phone pages behind a poster and a card.
pub async fn print_pages(state: &AppState, base: &str) {
    match kiosk_path(state).await {
        Ok(path) => println!("  kiosk    {base}{path}"),
        Err(e) => println!("  kiosk    (not available: {})", e.detail),
    }
    if let Ok((station, deputy)) = phone_page_paths(state).await {
        println!("  station  {base}{station}   (the phone page behind a station's poster)");
        println!("  deputy   {base}{deputy}   (the demo deputy's card; sign-in codes appear in this log)");
    }
}

/// The phone pages behind the first demo station's poster and the demo deputy's card.
pub async fn phone_page_paths(state: &AppState) -> AppResult<(String, String)> {
    db::run(&state.db, move |c| {
        let station = crate::org::all_station_geos(c)?.first().map(|s| s.id).ok_or_else(AppError::not_found)?;
        let code = crate::org::station_public_code(c, station)?.ok_or_else(AppError::not_found)?;
        let deputy = crate::auth::seeding::by_username(c, "13955110000")?.and_then(|a| a.deputy_id);
        let card = crate::org::public_briefs(c, &deputy.into_iter().collect::<Vec<_>>())?;
        let deputy_code = card.first().map(|b| b.2.clone()).ok_or_else(AppError::not_found)?;
        Ok((format!("/m/{code}"), format!("/m/{deputy_code}")))
    })
    .await
}

fn seed_in(c: &mut AnyConnection, hash: &str, now: NaiveDateTime) -> AppResult<Summary> {
    let mut rng = StdRng::seed_from_u64(2026);
    let t = regions(c, now)?;
    let city_groups: Vec<i64> = (1..=14)
        .map(|i| store::insert_group(c, t.city, &format!("第{}代表小组", super::names::NUMERALS[i]), 17, now))
        .collect::<AppResult<_>>()?;
    let mut county_groups = vec![];
    for (cid, cname) in &t.counties {
        let gs: Vec<i64> = (1..=7)
            .map(|i| store::insert_group(c, *cid, &format!("{cname}第{}代表小组", super::names::NUMERALS[i]), 18, now))
            .collect::<AppResult<_>>()?;
        county_groups.push(gs);
    }
    let mut first_deputy = None;
    for i in 0..400usize {
        let name = person_name(&mut rng);
        let gender = if rng.random_bool(0.38) { "female" } else { "male" };
        let phone = format!("139551{:05}", 10000 + i * 37);
        let code = rules::public_code('D');
        let intro = format!("{}，{}。", name, super::names::INTROS[i % super::names::INTROS.len()]);
        let id = deputy_store::insert_deputy(
            c,
            &NewDeputy {
                name: &name,
                gender,
                phone: Some(&phone),
                photo_url: None,
                introduction: Some(&intro),
                public_code: &code,
                created_at: now,
                updated_at: now,
            },
        )?;
        first_deputy.get_or_insert((id, phone.clone()));
        let county = i % 3;
        let status = match i {
            37 | 211 => ("terminated", Some("2025-06-30")),
            95 => ("resigned", Some("2026-03-15")),
            _ => ("active", None),
        };
        let mut seat = |level: &str, region_id: i64, term: i32, unit: &str, group: i64| {
            let n = NewSeat {
                deputy_id: id,
                level,
                region_id,
                term,
                electoral_unit: Some(unit),
                group_id: Some(group),
                status: status.0,
                status_date: status.1,
                created_at: now,
            };
            deputy_store::insert_seat(c, &n)
        };
        if i < 310 {
            seat("city", t.city, 17, &format!("{}选举单位", t.counties[county].1), city_groups[i % 14])?;
        }
        if i >= 250 {
            let (cid, cname) = t.counties[county];
            seat("county", cid, 18, &format!("{cname}第{}选区", i % 40 + 1), county_groups[county][i % 7])?;
        }
    }
    let mut station_ids = vec![];
    for (i, (tid, ci)) in t.townships.iter().enumerate() {
        station_ids.push(station(
            c,
            &mut rng,
            *tid,
            *ci,
            "station",
            &format!("{}人大代表联络站", super::names::COUNTIES[*ci].2[i % 4]),
            now,
        )?);
    }
    for (ci, (cid, cname)) in t.counties.iter().enumerate() {
        station_ids.push(station(c, &mut rng, *cid, ci, "home", &format!("{cname}人大代表之家"), now)?);
    }
    for (i, (kind, label)) in [
        ("point", "社区代表联系点"),
        ("studio", "代表工作室"),
        ("point", "园区代表联系点"),
        ("studio", "法律服务代表工作室"),
        ("point", "商圈代表联系点"),
    ]
    .iter()
    .enumerate()
    {
        let (tid, ci) = t.townships[i * 2 + 1];
        station_ids.push(station(
            c,
            &mut rng,
            tid,
            ci,
            kind,
            &format!("{}{label}", super::names::COUNTIES[ci].2[(i * 2 + 1) % 4]),
            now,
        )?);
    }
    let unit1 =
        station_store::insert_unit(c, t.city, "合肥市住房和城乡建设局", Some("王科长"), Some("0551-63500001"), now)?;
    let unit2 = station_store::insert_unit(c, t.city, "合肥市交通运输局", Some("李科长"), Some("0551-63500002"), now)?;
    let (dep_id, dep_phone) = first_deputy.ok_or_else(|| AppError::internal("no deputy seeded"))?;
    let mut logins = vec![];
    let mut acct = |c: &mut AnyConnection,
                    user: &str,
                    role: &str,
                    region: Option<i64>,
                    dep: Option<i64>,
                    unit: Option<i64>,
                    stations: &[i64],
                    label: &str|
     -> AppResult<()> {
        // An account created beforehand (say with `create-admin --username admin`) is kept as it is.
        if accounts::by_username(c, user)?.is_some() {
            logins.push((user.to_string(), format!("{label} (existed already: its own password)")));
            return Ok(());
        }
        let n = NewAccount {
            username: user,
            password_hash: hash,
            role,
            region_id: region,
            deputy_id: dep,
            unit_id: unit,
            display_name: label,
            scopes: "",
            created_at: now,
            updated_at: now,
        };
        accounts::insert_account(c, &n, stations)?;
        logins.push((user.to_string(), label.to_string()));
        Ok(())
    };
    acct(c, "admin", "admin", Some(t.city), None, None, &[], "admin — 合肥市人大常委会代表工作室")?;
    acct(c, "yaohai", "admin", Some(t.counties[0].0), None, None, &[], "admin of 瑶海区 only")?;
    acct(
        c,
        "staff1",
        "station_staff",
        Some(t.townships[0].0),
        None,
        None,
        &station_ids[0..1],
        "station staff, 明光路街道联络站",
    )?;
    acct(
        c,
        "staff2",
        "station_staff",
        Some(t.townships[4].0),
        None,
        None,
        &station_ids[4..5],
        "station staff, 亳州路街道联络站",
    )?;
    acct(c, "unit1", "unit", Some(t.city), None, Some(unit1), &[], "handling unit: 市住建局")?;
    acct(c, "unit2", "unit", Some(t.city), None, Some(unit2), &[], "handling unit: 市交通局")?;
    acct(c, &dep_phone, "deputy", None, Some(dep_id), None, &[], "deputy (log in with the phone number)")?;
    Entry::system("demo.seed", "installation", "demo").detail("400 deputies, 20 stations").write(c, now)?;
    Ok(Summary { password: PASSWORD, logins })
}

/// Creates an admin, scoped to the region with `region_code` when given.
pub async fn create_admin(
    state: &AppState,
    username: &str,
    password: &str,
    region_code: Option<&str>,
) -> AppResult<i64> {
    if password.chars().count() < 8 {
        return Err(AppError::invalid_field("password", "weak_password", "at least 8 characters"));
    }
    let m = state.settings.argon2_m_cost_kib;
    let pw = password.to_string();
    let hash = actix_web::web::block(move || crate::auth::hash_password(&pw, m)).await?.map_err(AppError::internal)?;
    let (user, code, now) = (username.to_string(), region_code.map(str::to_string), state.now());
    db::tx(&state.db, move |c| {
        let region = match &code {
            Some(code) => Some(
                store::region_by_code(c, code)?
                    .ok_or_else(|| {
                        AppError::invalid_field("region", "unknown_region", format!("no region with code {code}"))
                    })?
                    .id,
            ),
            None => None,
        };
        let n = NewAccount {
            username: &user,
            password_hash: &hash,
            role: "admin",
            region_id: region,
            deputy_id: None,
            unit_id: None,
            display_name: &user,
            scopes: "",
            created_at: now,
            updated_at: now,
        };
        let id = accounts::insert_account(c, &n, &[])?;
        Entry::system("account.create", "account", id.to_string()).detail("role=admin (cli)").write(c, now)?;
        Ok(id)
    })
    .await
}
