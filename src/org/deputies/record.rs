//! A deputy record as the routes handle it: loaded for the caller with its version, answered with
//! its ETag, a seat added, and the version bumped on every change.

use super::model::{DeputyView, SeatInput};
use super::views::{check_seat, deputy_view};
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::{etag, with_etag};
use crate::org::rules;
use crate::org::store::deputies::{self as store, DeputyChanges, NewSeat};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use chrono::NaiveDateTime;

/// Loads a deputy as `p` may see it, with the region paths of its seats; 404 when missing or out of scope.
pub fn load(
    c: &mut AnyConnection,
    p: &Principal,
    id: i64,
    action: Action,
) -> AppResult<(DeputyView, Vec<String>, i64)> {
    let d = store::deputy(c, id)?.ok_or_else(AppError::not_found)?;
    let seats = store::seats_of(c, &[id])?;
    let paths: Vec<String> = seats.iter().map(|s| s.region_path.clone()).collect();
    if !(action == Action::Read && p.deputy_id == Some(id)) {
        policy::authorize(p, action, &Target::many(Kind::Deputy, paths.clone()))?;
    }
    let version = d.version;
    Ok((deputy_view(p, d, &seats), paths, version))
}

pub fn respond(status: StatusCode, v: &DeputyView, version: i64) -> HttpResponse {
    with_etag(status, etag("deputy", v.id, version), v)
}

pub fn check_person(
    name: Option<&str>,
    gender: Option<&str>,
    phone: Option<&str>,
    photo: Option<&str>,
    intro: Option<&str>,
) -> Result<Option<String>, AppError> {
    let mut e: Vec<FieldError> = name.and_then(|n| rules::required_text("name", n, 32)).into_iter().collect();
    if gender.is_some_and(|g| rules::parse_gender(g).is_none()) {
        e.push(FieldError::new("gender", "invalid_value", "male or female"));
    }
    let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => match rules::normalize_phone(p) {
            Some(n) => Some(n),
            None => {
                e.push(FieldError::new("phone", "invalid_phone", "an 11-digit mainland mobile number"));
                None
            }
        },
        None => None,
    };
    if photo.is_some_and(|u| !crate::platform::outbound::public_https(u)) {
        e.push(FieldError::new("photo_url", "invalid_url", "an https URL of at most 500 characters, on a public host"));
    }
    if intro.is_some_and(|i| i.chars().count() > 2000) {
        e.push(FieldError::new("introduction", "too_long", "at most 2000 characters"));
    }
    if e.is_empty() {
        Ok(phone)
    } else {
        Err(AppError::validation(e))
    }
}

pub fn insert_seat(
    c: &mut AnyConnection,
    p: &Principal,
    deputy_id: i64,
    s: &SeatInput,
    i: usize,
    now: NaiveDateTime,
) -> AppResult<String> {
    let checked = check_seat(c, p, s, i)?;
    store::insert_seat(
        c,
        &NewSeat {
            deputy_id,
            level: checked.level,
            region_id: s.region_id,
            term: s.term,
            electoral_unit: s.electoral_unit.as_deref().map(str::trim),
            group_id: s.group_id,
            status: checked.status,
            status_date: s.status_date.as_deref(),
            created_at: now,
        },
    )?;
    // A new seat moves the deputy on the leaderboards.
    crate::ledger::board_seats_changed(c, &[deputy_id])?;
    Ok(checked.path)
}

pub fn bump(c: &mut AnyConnection, id: i64, version: i64, now: NaiveDateTime) -> AppResult<()> {
    let ch = DeputyChanges {
        name: None,
        gender: None,
        phone: None,
        photo_url: None,
        introduction: None,
        version: version + 1,
        updated_at: now,
    };
    if store::update_deputy(c, id, version, &ch)? {
        Ok(())
    } else {
        Err(AppError::precondition_failed())
    }
}

/// Tells the feed a deputy was added or changed (their name and how many seats), under the
/// deepest of their seats' regions.
pub fn tell(
    c: &mut AnyConnection,
    id: i64,
    name: &str,
    paths: &[String],
    created: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    let d = crate::feed::data::DeputyChanged { deputy_id: id, name: name.to_string(), seats: paths.len() as i64 };
    crate::feed::emit(c, &[crate::feed::Event::deputy(&d, created, &crate::feed::deepest(paths), now)])
}
