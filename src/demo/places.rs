//! The demo's places: the region tree and the stations it seeds, and the names it makes up.

use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::org::rules;
use crate::org::seeding as station_store;
use crate::org::seeding::{self as store, NewStation};
use chrono::NaiveDateTime;
use rand::rngs::StdRng;
use rand::Rng;

pub struct Tree {
    pub city: i64,
    pub counties: Vec<(i64, &'static str)>,
    pub townships: Vec<(i64, usize)>,
}

/// The region with `code`, created when the installation does not have it yet.
pub fn region(
    c: &mut AnyConnection,
    code: &str,
    name: &str,
    parent: Option<&store::RegionRow>,
    level: &str,
    now: NaiveDateTime,
) -> AppResult<store::RegionRow> {
    match store::region_by_code(c, code)? {
        Some(r) => Ok(r),
        None => store::insert_region(c, code, name, parent, level, now),
    }
}

pub fn regions(c: &mut AnyConnection, now: NaiveDateTime) -> AppResult<Tree> {
    let province = region(c, "340000", "安徽省", None, "province", now)?;
    let city = region(c, "340100", "合肥市", Some(&province), "city", now)?;
    let mut counties = vec![];
    let mut townships = vec![];
    for (ci, (code, name, towns)) in super::names::COUNTIES.iter().enumerate() {
        let county = region(c, code, name, Some(&city), "county", now)?;
        for (ti, t) in towns.iter().enumerate() {
            let town = region(c, &format!("{code}{:03}", ti + 1), t, Some(&county), "township", now)?;
            townships.push((town.id, ci));
        }
        counties.push((county.id, *name));
    }
    Ok(Tree { city: city.id, counties, townships })
}

pub fn person_name(rng: &mut StdRng) -> String {
    let s = super::names::SURNAMES[rng.random_range(0..super::names::SURNAMES.len())];
    let g1 = super::names::GIVEN[rng.random_range(0..super::names::GIVEN.len())];
    if rng.random_bool(0.6) {
        let g2 = super::names::GIVEN[rng.random_range(0..super::names::GIVEN.len())];
        format!("{s}{g1}{g2}")
    } else {
        format!("{s}{g1}")
    }
}

pub fn station(
    c: &mut AnyConnection,
    rng: &mut StdRng,
    region_id: i64,
    county: usize,
    kind: &str,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let (lat, lng) = super::names::COUNTY_CENTRES[county];
    let code = rules::public_code('S');
    let address = format!("合肥市{}{}号", super::names::COUNTIES[county].1, rng.random_range(1..300));
    station_store::insert_station(
        c,
        &NewStation {
            region_id,
            kind,
            name,
            address: &address,
            latitude: lat + rng.random_range(-0.015..0.015),
            longitude: lng + rng.random_range(-0.015..0.015),
            radius_m: rules::DEFAULT_RADIUS_M,
            opening_hours: Some("周一至周五 9:00-17:00；每月15日为代表接待日"),
            contact_name: Some("联络员"),
            contact_phone: Some("0551-62600000"),
            public_code: &code,
            created_at: now,
            updated_at: now,
        },
    )
}
