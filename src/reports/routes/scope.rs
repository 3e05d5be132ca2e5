//! Who may read and keep a duty report: congress staff in scope keep it (another county's answer
//! 404); its deputy reads it; nobody else.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::reports::store::{self, ReportRow};

/// The report, for staff who keep reports in its congress.
pub fn kept(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<ReportRow> {
    let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    policy::authorize(p, Action::Write, &Target::new(Kind::Deputy, r.region_path.clone()))?;
    Ok(r)
}

/// The report, for its deputy or staff in scope (read).
pub fn readable(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<ReportRow> {
    let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    if p.deputy_id == Some(r.deputy_id) {
        return Ok(r);
    }
    if p.deputy_id.is_some() {
        return Err(AppError::not_found());
    }
    policy::authorize(p, Action::Read, &Target::new(Kind::Deputy, r.region_path.clone()))?;
    Ok(r)
}

/// The report, for its own deputy (404 for anyone else's).
pub fn own(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<ReportRow> {
    let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    if p.deputy_id != Some(r.deputy_id) {
        return Err(AppError::not_found());
    }
    Ok(r)
}
