//! Shapes a deputy for a caller (full or public profile) and checks seat inputs against the tree.

use super::model::{DeputyView, SeatInput, SeatView};
use crate::auth::policy::{self, Action, Kind, Target, View};
use crate::auth::Principal;
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult, FieldError};
use crate::org::store::deputies::{DeputyRow, SeatRow};
use crate::org::{rules, store};

pub fn seat_view(s: &SeatRow, view: View) -> SeatView {
    SeatView {
        id: s.id,
        level: s.level.clone(),
        region_id: s.region_id,
        region_code: s.region_code.clone(),
        region_name: s.region_name.clone(),
        term: s.term,
        electoral_unit: if view == View::Full { s.electoral_unit.clone() } else { None },
        group_id: s.group_id,
        status: s.status.clone(),
        status_date: s.status_date.clone(),
    }
}

/// The deputy as `p` may see it.
pub fn deputy_view(p: &Principal, d: DeputyRow, seats: &[SeatRow]) -> DeputyView {
    let paths: Vec<String> = seats.iter().map(|s| s.region_path.clone()).collect();
    let view = policy::deputy_view(p, d.id, &paths);
    let full = view == View::Full;
    DeputyView {
        id: d.id,
        name: d.name,
        gender: d.gender,
        phone: if full { d.phone.as_deref().map(rules::mask_phone) } else { None },
        photo_url: d.photo_url,
        introduction: d.introduction,
        public_code: d.public_code,
        seats: seats.iter().map(|s| seat_view(s, view)).collect(),
        version: full.then_some(d.version),
        updated_at: full.then(|| utc(d.updated_at)),
    }
}

/// Validated seat: (level, status, region path).
pub struct CheckedSeat {
    pub level: &'static str,
    pub status: &'static str,
    pub path: String,
}

/// Checks a seat against the vocabulary, the region tree and the caller's scope. A region or group
/// that is missing or out of scope gives the same field error.
pub fn check_seat(conn: &mut AnyConnection, p: &Principal, s: &SeatInput, i: usize) -> AppResult<CheckedSeat> {
    let f = |name: &str| format!("seats[{i}].{name}");
    let level = rules::parse_level(&s.level).ok_or_else(|| {
        AppError::invalid_field(&f("level"), "invalid_value", "national, provincial, city, county or township")
    })?;
    let status = rules::parse_status(s.status.as_deref().unwrap_or("active"))
        .ok_or_else(|| AppError::invalid_field(&f("status"), "invalid_value", "active, terminated or resigned"))?;
    if !(1..=100).contains(&s.term) {
        return Err(AppError::invalid_field(&f("term"), "out_of_range", "term (届) must be 1–100"));
    }
    if let Some(d) = s.status_date.as_deref().filter(|d| !rules::valid_date(d)) {
        return Err(AppError::invalid_field(&f("status_date"), "invalid_date", format!("`{d}` is not YYYY-MM-DD")));
    }
    let unknown_region = || AppError::invalid_field(&f("region_id"), "unknown_region", "no such region in your scope");
    let region = store::region(conn, s.region_id)?.ok_or_else(unknown_region)?;
    policy::authorize(p, Action::Write, &Target::new(Kind::Deputy, region.path.clone())).map_err(|e| {
        if e.status.as_u16() == 404 {
            unknown_region()
        } else {
            e
        }
    })?;
    if rules::seat_region_level(level) != Some(region.level.as_str()) {
        return Err(AppError::validation(vec![FieldError::new(
            &f("level"),
            "level_mismatch",
            format!(
                "a {level} deputy sits in a {} congress, not a {}",
                rules::seat_region_level(level).unwrap_or("?"),
                region.level
            ),
        )]));
    }
    if let Some(gid) = s.group_id {
        let ok = store::group(conn, gid)?.is_some_and(|(g, _)| g.region_id == s.region_id && g.term == s.term);
        if !ok {
            return Err(AppError::invalid_field(
                &f("group_id"),
                "unknown_group",
                "no such group in this congress and term",
            ));
        }
    }
    Ok(CheckedSeat { level, status, path: region.path })
}
