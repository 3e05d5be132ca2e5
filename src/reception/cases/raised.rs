//! Cases a deputy raises: a suggestion that staff turn into an opinion (a matter for one street
//! rather than for the government's programme) continues as a case of the reception room. It
//! has no constituent: the deputy who raised it stands in the constituent's place (they follow
//! it and rate the outcome), and it starts accepted, by the staff member who converted it.

use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::live::Wake;
use crate::reception::cases::rules;
use crate::reception::store::opinions::{self as store, Event, NewOpinion};
use crate::state::AppState;
use chrono::{NaiveDate, NaiveDateTime};

/// What the converted suggestion brings.
pub struct Raised<'a> {
    pub suggestion: i64,
    /// Its number (`JY2026-000123`), quoted in the case's history.
    pub number: &'a str,
    pub deputy: i64,
    pub deputy_account: i64,
    pub region_path: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    /// Why staff converted it (the acceptance note).
    pub reason: &'a str,
}

/// The calendar day (congress time zone) a case raised now is numbered in; call before the
/// transaction that raises it, so the day's ticket sequence exists.
pub async fn prepare(state: &AppState) -> AppResult<NaiveDate> {
    let day = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    crate::reception::cases::routes::opinions::ensure_ticket_day(state, day).await?;
    Ok(day)
}

/// Files the case, accepted, with its two first events; returns its ticket and the live news
/// for the deputy.
pub fn raise(
    c: &mut AnyConnection,
    r: &Raised,
    staff: &Principal,
    day: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(String, Wake)> {
    let seq = store::next_seqs(c, &day.format("%Y%m%d").to_string(), 1)?
        .pop()
        .ok_or_else(|| AppError::internal("no ticket number"))?;
    let ticket = rules::ticket(day, seq);
    let category = if rules::CATEGORIES.contains(&r.category) { r.category } else { "other" };
    let new = NewOpinion {
        constituent: None,
        station: None,
        deputy: Some(r.deputy),
        region_path: r.region_path,
        category,
        title: r.title,
        content: r.content,
        position: (None, None),
        photos: "[]",
        suggestion: Some(r.suggestion),
    };
    let o = store::insert_many(c, &[(ticket.clone(), new)], now)?
        .pop()
        .ok_or_else(|| AppError::internal("the raised case was not stored"))?;
    let note = format!("raised by the deputy as suggestion {}", r.number);
    store::event(
        c,
        o.id,
        &Event { from: None, to: "submitted", account: r.deputy_account, role: "deputy", note: Some(&note) },
        now,
    )?;
    if !store::set_status(c, o.id, "submitted", "accepted", now)? {
        return Err(AppError::internal("the raised case changed meanwhile"));
    }
    store::event(
        c,
        o.id,
        &Event {
            from: Some("submitted"),
            to: "accepted",
            account: staff.account_id,
            role: "staff",
            note: Some(r.reason),
        },
        now,
    )?;
    let wake =
        crate::live::record(c, Some(r.deputy), None, "opinion_assigned", &serde_json::json!({"ticket": ticket}), now)?;
    Ok((ticket, wake))
}
