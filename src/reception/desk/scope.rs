//! Who may act at a station's desk: its own staff and congress staff whose region holds it; any
//! other staff get 404 (as for a station that does not exist), other roles 403.

use crate::auth::{Principal, Role};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code};

/// The station's region path, when the caller is its staff (404 / 403 otherwise).
pub fn staff_of(c: &mut AnyConnection, p: &Principal, station: i64) -> AppResult<String> {
    let (_, path) = crate::org::station_region(c, station)?.ok_or_else(AppError::not_found)?;
    let holds = match p.role {
        Role::StationStaff => p.stations.contains(&station),
        Role::Admin => p.region_path.as_deref().is_none_or(|s| path.starts_with(s)),
        _ => return Err(AppError::forbidden(Code::Forbidden, "the desk is the station staff's")),
    };
    if holds {
        Ok(path)
    } else {
        Err(AppError::not_found())
    }
}
