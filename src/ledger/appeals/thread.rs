//! An appeal as its reader sees it (with its messages), who may see or handle it, and pages of
//! appeals.

use super::model::{AppealMessage, AppealView};
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::http::{page, Page};
use crate::ledger::store::appeals::{self as store, AppealRow, ListFilter};

pub fn view(c: &mut AnyConnection, r: AppealRow) -> AppResult<AppealView> {
    let messages = store::messages(c, r.id)?
        .into_iter()
        .map(|(id, author, body, at)| AppealMessage { id, author, body, at: utc(at) })
        .collect();
    Ok(AppealView {
        id: r.id,
        deputy_id: r.deputy_id,
        kind: r.kind,
        entry_id: r.entry_id,
        year: r.year,
        description: r.description,
        occurred_on: r.occurred_on,
        status: r.status,
        resolution: r.resolution,
        resolution_note: r.resolution_note,
        result_entry_id: r.result_entry_id,
        created_at: utc(r.created_at),
        resolved_at: r.resolved_at.map(utc),
        messages,
    })
}

/// The appeal, when the caller may see it: its deputy, or congress staff in scope (404 otherwise).
pub fn load_for(
    c: &mut AnyConnection,
    p: &Principal,
    id: i64,
    action: Action,
) -> AppResult<(AppealRow, Option<String>)> {
    let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    let paths = crate::org::deputy_region_paths(c, row.deputy_id)?.unwrap_or_default();
    match p.role {
        Role::Deputy if p.deputy_id == Some(row.deputy_id) && action == Action::Read => {}
        Role::Deputy => return Err(AppError::not_found()),
        Role::Admin => policy::authorize(p, action, &Target::many(Kind::Deputy, paths.clone()))?,
        _ => return Err(AppError::forbidden(Code::Forbidden, "appeals are handled by congress staff")),
    }
    Ok((row, paths.first().cloned()))
}

pub fn list(c: &mut AnyConnection, f: &ListFilter) -> AppResult<Page<AppealView>> {
    let rows = store::list(c, f)?;
    let mut out = page(rows, f.limit, |r| r.id, |r| r);
    let items = std::mem::take(&mut out.items).into_iter().map(|r| view(c, r)).collect::<AppResult<Vec<_>>>()?;
    Ok(Page { items, next_cursor: out.next_cursor })
}
