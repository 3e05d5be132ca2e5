//! Moving a suggestion through its states: the allowed transitions, who may take them, and telling
//! the author.

use super::model::{Stand, SuggestionView};
use super::store::SuggestionRow;
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::live::Wake;
use crate::state::AppState;
use actix_web::web;
use chrono::NaiveDateTime;

/// Runs one step on a suggestion in a transaction: opens it (404 when out of reach), insists on
/// how the caller stands to it (403 otherwise), applies `f`, writes the audit entry, and answers
/// the full view.
pub async fn step<F>(
    state: &AppState,
    p: Principal,
    id: i64,
    allowed: fn(Stand) -> bool,
    audit: &'static str,
    f: F,
) -> AppResult<web::Json<SuggestionView>>
where
    F: FnOnce(&mut AnyConnection, &Principal, &SuggestionRow, Stand, NaiveDateTime) -> AppResult<()> + Send + 'static,
{
    step_telling(state, p, id, allowed, audit, move |c, p, s, stand, now| f(c, p, s, stand, now).map(|_| vec![])).await
}

/// [`step`] for a step that tells someone (a notice to the author): `f` returns the live wakes
/// to announce after the commit.
pub async fn step_telling<F>(
    state: &AppState,
    p: Principal,
    id: i64,
    allowed: fn(Stand) -> bool,
    audit: &'static str,
    f: F,
) -> AppResult<web::Json<SuggestionView>>
where
    F: FnOnce(&mut AnyConnection, &Principal, &SuggestionRow, Stand, NaiveDateTime) -> AppResult<Vec<Wake>>
        + Send
        + 'static,
{
    let (now, keys) = (state.now(), state.keys.clone());
    let (v, wakes) = db::tx(&state.db, move |c| {
        let (s, stand) = super::model::open(c, &p, id)?;
        if !allowed(stand) {
            return Err(AppError::forbidden(
                Code::Forbidden,
                format!("a {} may not do this to the suggestion", stand.role()),
            ));
        }
        let wakes = f(c, &p, &s, stand, now)?;
        crate::audit::Entry::by(&p, audit, "suggestion", id.to_string())
            .region(Some(s.region_path.clone()))
            .write(c, now)?;
        let s = super::store::get(c, id)?.ok_or_else(AppError::not_found)?;
        Ok((super::model::full_view(c, &keys, s, now)?, wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(web::Json(v))
}

/// A notice to the suggestion's author about it (inbox, push, live stream).
pub fn tell_author(
    c: &mut AnyConnection,
    state: (chrono_tz::Tz, Option<(chrono::NaiveTime, chrono::NaiveTime)>),
    s: &SuggestionRow,
    title: &str,
    body: &str,
    now: NaiveDateTime,
) -> AppResult<Wake> {
    Ok(crate::notices::send_personal(c, s.author_deputy_id, title, body, now, state.0, state.1)?.1)
}

/// The `LIKE` pattern of the region subtree a staff member reviews (403 for other roles).
pub fn staff_scope(p: &Principal) -> AppResult<String> {
    if p.role != crate::auth::Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "suggestions are reviewed by congress staff"));
    }
    Ok(crate::org::subtree_like(p.region_path.as_deref().unwrap_or("/")))
}

/// Moves a suggestion by the rules (409 `illegal_transition` otherwise) and records the event.
pub fn transition(
    c: &mut AnyConnection,
    s: &SuggestionRow,
    to: Option<&'static str>,
    by: (&Principal, Stand),
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<&'static str> {
    let to = to.ok_or_else(|| {
        AppError::conflict(Code::IllegalTransition, format!("not possible while the suggestion is {}", s.status))
    })?;
    if !super::store::set_status(c, s.id, &s.status, to, now)? {
        return Err(AppError::conflict(Code::IllegalTransition, "the suggestion changed meanwhile"));
    }
    super::store::event(c, s.id, (Some(&s.status), to), (by.0.account_id, by.1.role()), note, now)?;
    Ok(to)
}
