//! Deputies' suggestions (代表建议): a deputy drafts one with co-signers (each confirms), submits
//! it in or between sessions; staff accept, return or convert it and assign it to a lead unit and
//! co-handling units with a deadline, marking key suggestions with their supervising leader;
//! units acknowledge, log their contacts with the deputy and reply with a classification; the
//! deputy rates the reply, and an unsatisfied first rating sends it back for a second round.
//! Units may ask for more time; deputies, staff and leaders urge (weighted); B items are tracked
//! until cleared. Filing, co-signing, key and excellent suggestions earn ledger points once each;
//! every step is an event and an audit entry. Statistics per year, category and unit, and a
//! public list of the replies authors agreed to publish.

mod model;
mod routes;
mod rules;
mod store;

pub use routes::register;

pub use rules::number as suggestion_number;

/// Bulk paths for the demo and scale seeders and the test harness: rows written as given, without
/// the checks and audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::store::parties::{add_contact, assign_units, NewContact};
    pub use super::store::{
        event, insert, set_assignment, set_evaluation, set_reply, set_status, set_submitted, NewSuggestion,
    };
}

use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::live::Wake;
use crate::state::AppState;
use actix_web::web;
use chrono::NaiveDateTime;
use model::{Stand, SuggestionView};
use store::SuggestionRow;

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
        let (s, stand) = model::open(c, &p, id)?;
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
        let s = store::get(c, id)?.ok_or_else(AppError::not_found)?;
        Ok((model::full_view(c, &keys, s, now)?, wakes))
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
    if !store::set_status(c, s.id, &s.status, to, now)? {
        return Err(AppError::conflict(Code::IllegalTransition, "the suggestion changed meanwhile"));
    }
    store::event(c, s.id, (Some(&s.status), to), (by.0.account_id, by.1.role()), note, now)?;
    Ok(to)
}

/// Texts the lead units of overdue suggestions, once a day each; returns how many.
pub async fn remind_overdue(state: &AppState) -> AppResult<usize> {
    let (now, pii) = (state.now(), state.pii.clone());
    db::tx(&state.db, move |c| {
        let due = store::tracking::overdue_unreminded(c, now, now - chrono::Duration::hours(24), 200)?;
        for (id, title, unit) in &due {
            let phone = match unit {
                Some(u) => crate::org::unit(c, *u)?.and_then(|(u, _)| u.contact_phone),
                None => None,
            };
            if let Some(phone) = phone {
                let text = format!("【履职】代表建议《{title}》已超过办理期限，请尽快答复代表。");
                crate::sms::enqueue_text(
                    c,
                    &pii,
                    &phone,
                    &text,
                    &format!("suggestion-overdue:{id}:{}", now.format("%Y%m%d")),
                    now,
                )?;
            }
            store::tracking::set_reminded(c, *id, now)?;
        }
        Ok(due.len())
    })
    .await
}

/// Once an hour: reminds the units of overdue suggestions; stops between runs.
pub async fn worker(state: AppState, stop: tokio::sync::watch::Receiver<bool>) {
    crate::platform::jobs::every("suggestions", std::time::Duration::from_secs(3600), stop, || {
        let state = state.clone();
        async move {
            crate::platform::jobs::report(
                "suggestions",
                "reminding units of overdue suggestions",
                remind_overdue(&state).await,
            )
        }
    })
    .await
}
