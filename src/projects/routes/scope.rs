//! Who may see and keep a round: the staff of its congress (or above) keep it, another
//! region's staff get 404; deputies seated in the congress read it and vote in it.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code};
use crate::projects::store::{self, RoundRow};

/// The round, for staff who keep its congress's rounds.
pub fn kept(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<RoundRow> {
    let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    if p.role != Role::Admin {
        return Err(match p.deputy_id {
            Some(_) => AppError::not_found(),
            None => AppError::forbidden(Code::Forbidden, "congress staff keep the rounds"),
        });
    }
    policy::authorize(p, Action::Write, &Target::new(Kind::Region, r.region_path.clone()))?;
    Ok(r)
}

/// The round, for its congress's seated deputies, or staff and clients in scope (read).
pub fn readable(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<RoundRow> {
    let r = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    may_read(c, p, &r)?;
    Ok(r)
}

/// Whether the caller may read the round (404 otherwise, like a missing one).
pub fn may_read(c: &mut AnyConnection, p: &Principal, r: &RoundRow) -> AppResult<()> {
    if let Some(d) = p.deputy_id {
        return match unseated(c, &r.region_path, &[d])? {
            None => Ok(()),
            Some(_) => Err(AppError::not_found()),
        };
    }
    if !matches!(p.role, Role::Admin | Role::Client) {
        return Err(AppError::not_found());
    }
    policy::authorize(p, Action::Read, &Target::new(Kind::Region, r.region_path.clone()))
}

/// Whether seats include one in office in the congress at `path` itself.
fn holds(seats: Option<&Vec<crate::org::SeatBrief>>, path: &str) -> bool {
    seats.is_some_and(|s| s.iter().any(|x| x.path == path && x.status == "active"))
}

/// The first of `deputies` without a seat in office in the congress at `path` itself (their
/// own seats read in one query, not the congress's roll).
pub fn unseated(c: &mut AnyConnection, path: &str, deputies: &[i64]) -> AppResult<Option<i64>> {
    let seats = crate::org::deputy_scopes(c, deputies)?;
    Ok(deputies.iter().copied().find(|d| !holds(seats.get(d), path)))
}

/// The calling deputy, who must be seated in the round's congress (403 `not_present`).
pub fn voter(c: &mut AnyConnection, p: &Principal, r: &RoundRow) -> AppResult<i64> {
    let d = p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "deputies vote"))?;
    if unseated(c, &r.region_path, &[d])?.is_some() {
        return Err(AppError::forbidden(Code::NotPresent, "only the congress's seated deputies vote"));
    }
    Ok(d)
}

/// An adopted project and its round, for whoever may follow it: the round's readers (staff and
/// clients in scope, seated deputies) and the accounts of the units carrying it out; 404 for
/// anyone else and for a candidate that was not adopted.
pub fn project(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(RoundRow, store::CandidateRow)> {
    let x = store::candidate(c, id)?.filter(|x| x.adopted).ok_or_else(AppError::not_found)?;
    let r = store::get(c, x.round_id)?.ok_or_else(AppError::not_found)?;
    if p.role == Role::Unit {
        let mine = match p.unit_id {
            Some(u) => store::works::projects_of_unit(c, u)?.contains(&id),
            None => false,
        };
        return if mine { Ok((r, x)) } else { Err(AppError::not_found()) };
    }
    may_read(c, p, &r)?;
    Ok((r, x))
}

/// An adopted project, for the staff who keep its round.
pub fn kept_project(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(RoundRow, store::CandidateRow)> {
    let x = store::candidate(c, id)?.filter(|x| x.adopted).ok_or_else(AppError::not_found)?;
    Ok((kept(c, p, x.round_id)?, x))
}
