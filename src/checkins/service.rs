//! The check-in flow: who checks in, the evidence (QR, geofence, offline, travel), the decision,
//! the one-open-check-in rule, and the point event for accepted check-ins. Review and checkout.

use super::geo::{self, CoordSystem};
use super::model::{CheckinRequest, CheckinView, EvidenceView};
use super::qr::{self, Place};
use super::record;
use super::rules::{self, Decision, Evidence};
use super::store::CheckinRow;
use super::venues::{self, Venue};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Target};
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError};
use crate::platform::idempotency::{self, Answer, IdemKey};
use crate::state::AppState;

pub fn view(r: CheckinRow) -> CheckinView {
    let duration_minutes = r.checked_out_at.map(|o| (o - r.checked_in_at).num_minutes());
    CheckinView {
        id: r.id,
        deputy_id: r.deputy_id,
        station_id: r.station_id,
        event_id: r.event_id,
        status: r.status,
        reasons: r.reasons.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        evidence: EvidenceView {
            qr_valid: r.qr_valid,
            inside_geofence: r.inside_geofence,
            distance_m: r.distance_m.map(|d| d.round()),
            accuracy_m: r.accuracy_m,
            offline: r.offline,
            staff_confirmed: r.staff_confirmed,
            impossible_travel: r.impossible_travel,
        },
        checked_in_at: utc(r.checked_in_at),
        checked_out_at: r.checked_out_at.map(utc),
        duration_minutes,
        auto_closed: r.auto_closed,
        review_note: r.review_note,
    }
}

/// Validated position in WGS-84 with its accuracy.
fn position(req: &CheckinRequest) -> AppResult<Option<((f64, f64), f64)>> {
    let mut errs = vec![];
    let sys = match req.coord_system.as_deref() {
        None => Some(CoordSystem::Wgs84),
        Some(s) => CoordSystem::parse(s).or_else(|| {
            errs.push(FieldError::new("coord_system", "invalid_value", "wgs84, gcj02 or bd09"));
            None
        }),
    };
    if req.latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v) || !v.is_finite()) {
        errs.push(FieldError::new("latitude", "out_of_range", "latitude must be within -90..90"));
    }
    if req.longitude.is_some_and(|v| !(-180.0..=180.0).contains(&v) || !v.is_finite()) {
        errs.push(FieldError::new("longitude", "out_of_range", "longitude must be within -180..180"));
    }
    if req.accuracy_m.is_some_and(|a| a < 0.0 || !a.is_finite()) {
        errs.push(FieldError::new("accuracy_m", "out_of_range", "accuracy must be zero or more metres"));
    }
    if req.latitude.is_some() != req.longitude.is_some() {
        errs.push(FieldError::new("longitude", "required", "latitude and longitude go together"));
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    Ok(match (req.latitude, req.longitude, sys) {
        (Some(lat), Some(lng), Some(sys)) => Some((geo::to_wgs84(sys, lat, lng), req.accuracy_m.unwrap_or(50.0))),
        _ => None,
    })
}

/// The place named by the request.
fn place_of(req: &CheckinRequest) -> AppResult<Place> {
    match (req.station_id, req.event_id) {
        (Some(id), None) => Ok(Place::Station(id)),
        (None, Some(id)) => Ok(Place::Event(id)),
        _ => {
            Err(AppError::invalid_field("station_id", "place_required", "give exactly one of station_id and event_id"))
        }
    }
}

/// Who the check-in is for, and whether station staff vouch for their presence.
fn subject(p: &Principal, req: &CheckinRequest, v: &Venue) -> AppResult<(i64, bool)> {
    match p.role {
        Role::Deputy => {
            let me = p
                .deputy_id
                .ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
            if req.deputy_id.is_some_and(|d| d != me) {
                return Err(AppError::forbidden(Code::Forbidden, "a deputy checks in only themself"));
            }
            Ok((me, false))
        }
        Role::StationStaff | Role::Admin => {
            let target = match v.station_id {
                Some(s) => Target::station(s, v.region_path.clone()),
                None => Target::new(policy::Kind::Station, v.region_path.clone()),
            };
            policy::authorize(p, Action::Write, &target)?;
            let d = req.deputy_id.ok_or_else(|| {
                AppError::invalid_field("deputy_id", "required", "staff record a check-in for a named deputy")
            })?;
            Ok((d, true))
        }
        _ => Err(AppError::forbidden(Code::Forbidden, "only deputies and station staff record check-ins")),
    }
}

pub(super) fn refused(reasons: Vec<String>) -> AppError {
    let errs = reasons
        .iter()
        .map(|code| {
            FieldError::new(
                if code.starts_with("qr") { "token" } else { "position" },
                code,
                "the check-in could not be verified",
            )
        })
        .collect();
    let mut e = AppError::validation(errs);
    e = e.with_code(Code::CheckinRefused);
    e.detail = "neither the QR code nor the position could be verified; nothing was recorded".into();
    e
}

/// Records a check-in. Everything that needs no database — the token, the geofence, a refusal —
/// is decided first, against the place's cached facts; the rest (a retry's stored answer, the
/// deputy's latest check-in for the one-open rule and impossible travel, the insert, the point
/// event, the audit row of a staff-recorded one) is applied in bulk with the other check-ins arriving at the same moment.
pub async fn check_in(state: &AppState, p: Principal, req: CheckinRequest, key: Option<IdemKey>) -> AppResult<Answer> {
    match attempt(state, p, req, key.clone()).await {
        Ok(a) => submit(state, a).await,
        // A retry whose first attempt was recorded gets that answer, even when its token has
        // expired or its scan has grown too old meanwhile.
        Err(e) => match key {
            Some(k) => {
                db::run(&state.db, move |c| idempotency::lookup_many(c, &[&k])).await?.pop().flatten().unwrap_or(Err(e))
            }
            None => Err(e),
        },
    }
}

/// The attempt, with its evidence; refused (422) when neither the token nor the position holds.
async fn attempt(
    state: &AppState,
    p: Principal,
    req: CheckinRequest,
    key: Option<IdemKey>,
) -> AppResult<record::Attempt> {
    let pos = position(&req)?;
    let now = state.clock.now();
    if let Some(at) = req.scanned_at {
        if let Some(code) = rules::offline_problem(at, now) {
            return Err(AppError::invalid_field(
                "scanned_at",
                code.as_str(),
                "an offline check-in is accepted up to 72 hours after the scan, and not from the future",
            )
            .with_code(code));
        }
    }
    let v = venues::get(state, place_of(&req)?).await?.ok_or_else(AppError::not_found)?;
    let (deputy, staff_confirmed) = subject(&p, &req, &v)?;
    if staff_confirmed {
        // Staff vouch only for deputies they hold; any other answers like a missing one.
        let who = p.clone();
        if !db::run(&state.db, move |c| crate::org::deputies_not_held(c, &who, &[deputy])).await?.is_empty() {
            return Err(AppError::invalid_field("deputy_id", "unknown_deputy", "no such deputy"));
        }
    }
    let at = req.scanned_at.unwrap_or(now);
    let mut ev = Evidence { offline: req.scanned_at.is_some(), staff_confirmed, ..Default::default() };
    match (&req.token, &v.secret) {
        (Some(t), Some(secret)) => match qr::verify(secret, v.place, t, at.timestamp(), state.settings.qr_grace_secs) {
            Ok(()) => ev.qr_valid = true,
            Err(e) => ev.qr_problem = Some(e.code()),
        },
        (Some(_), None) => ev.qr_problem = Some(qr::QrError::Tampered.code()),
        (None, _) => ev.qr_problem = Some("qr_missing"),
    }
    if let Some((here, accuracy)) = pos {
        let d = geo::distance_m(here, v.pos);
        ev.distance_m = Some(d);
        ev.inside_geofence = geo::inside(d, v.radius_m, accuracy);
    }
    if let Decision::Refused(r) = rules::decide(&ev) {
        return Err(refused(r));
    }
    // A deputy's own check-in is its own record (who, when, with what evidence, from which
    // account), kept in the check-in row; the audit log records what station staff do for a
    // deputy. (The audit row and its two indexes were a quarter of the pages every bulk of
    // check-ins wrote on SQLite.)
    let audit =
        staff_confirmed.then(|| Entry::by(&p, "checkin.create", "checkin", "").region(Some(v.region_path.clone())));
    let sealed_pos = pos.map(|(here, _)| rules::seal_position(&state.pii, here));
    Ok(record::Attempt {
        deputy,
        staff_confirmed,
        venue: v,
        evidence: ev,
        pos,
        sealed_pos,
        at: db::ts(at),
        now: db::ts(now),
        recorded_by: p.account_id,
        audit,
        key,
    })
}

/// Runs the attempt through the bulk writer; a lost race with another writer (the one-open rule,
/// the same key) is decided again, and then sees the winner.
async fn submit(state: &AppState, a: record::Attempt) -> AppResult<Answer> {
    let a = std::sync::Arc::new(a);
    let mut tries = 0;
    loop {
        match state.checkin_writes.submit(a.clone()).await {
            Err(e) if e.code == Code::AlreadyExists && tries < 3 => tries += 1,
            other => return other,
        }
    }
}
pub fn award(
    c: &mut AnyConnection,
    deputy: i64,
    event: bool,
    checkin: i64,
    at: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let kind = if event { "event_checkin" } else { "station_reception" };
    crate::ledger::note(c, crate::ledger::PointEvent { deputy, kind, source: ("checkin", checkin), at }, now)
}
