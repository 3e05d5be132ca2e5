//! Cases filed for someone (代为登记): what a person said at a station's desk, on the phone, in a
//! letter or at a reception, filed by the station's staff or a deputy checked in there. The case
//! starts accepted, goes to the deputy checked in at the station (or on duty), and remembers who
//! filed it and how. With the person's phone (and their consent), it is theirs: their account is
//! found or made by the phone's keyed hash, the ticket is texted, and they find the case at their
//! first sign-in.

use crate::auth::Principal;
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::live::Wake;
use crate::platform::pii::Pii;
use crate::reception::cases::rules;
use crate::reception::store::intakes::{self, Intake};
use crate::reception::store::opinions::{self as store, Event, NewOpinion, OpinionRow};
use chrono::{NaiveDate, NaiveDateTime};

/// What the desk writes down.
pub struct WalkIn<'a> {
    /// The station's desk; none for what a deputy collected elsewhere (the case then waits for
    /// staff like any case, and earns the deputy a point through the ledger).
    pub station: Option<i64>,
    pub region_path: &'a str,
    pub channel: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    pub position: (Option<f64>, Option<f64>),
    /// The person's phone (normalised) and their consent.
    pub phone: Option<(&'a str, &'a str)>,
    /// The name the person gave, if any (sealed when stored).
    pub name: Option<&'a str>,
}

/// The person's account of the filer, as a case event names it.
fn role(p: &Principal) -> &'static str {
    match p.role {
        crate::auth::Role::Deputy => "deputy",
        _ => "staff",
    }
}

/// Files it in the caller's transaction: (the case, its live news for the deputy, the texted
/// person's constituent id).
pub fn file(
    c: &mut AnyConnection,
    pii: &Pii,
    by: &Principal,
    w: &WalkIn,
    day: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(OpinionRow, Option<Wake>, Option<i64>)> {
    let constituent = match w.phone {
        Some((phone, _)) => Some(crate::reception::constituents::accounts::find_or_make(c, pii, phone, now)?),
        None => None,
    };
    // The deputy who filed it, else the one checked in at the station, else the one on duty.
    let deputy = match (by.role, by.deputy_id) {
        (crate::auth::Role::Deputy, Some(d)) => Some(d),
        _ => match w.station {
            Some(s) => match crate::checkins::present_at(c, s)? {
                Some(d) => Some(d),
                None => crate::checkins::on_duty_many(c, &[s], now)?.get(&s).copied(),
            },
            None => None,
        },
    };
    let seq = store::next_seqs(c, &day.format("%Y%m%d").to_string(), 1)?
        .pop()
        .ok_or_else(|| AppError::internal("no ticket number"))?;
    let ticket = rules::ticket(day, seq);
    let new = NewOpinion {
        constituent,
        station: w.station,
        deputy,
        region_path: w.region_path,
        category: w.category,
        title: w.title.trim(),
        content: w.content,
        position: w.position,
        photos: "[]",
        suggestion: None,
    };
    let o = store::insert_many(c, &[(ticket.clone(), new)], now)?
        .pop()
        .ok_or_else(|| AppError::internal("the case was not stored"))?;
    let (who, account) = (role(by), by.account_id);
    let note = format!("filed for someone: {}", w.channel);
    store::event(c, o.id, &Event { from: None, to: "submitted", account, role: who, note: Some(&note) }, now)?;
    if w.station.is_some() {
        if !store::set_status(c, o.id, "submitted", "accepted", now)? {
            return Err(AppError::internal("the case changed meanwhile"));
        }
        store::event(c, o.id, &Event { from: Some("submitted"), to: "accepted", account, role: who, note: None }, now)?;
    } else if let Some(d) = deputy {
        let e = crate::ledger::PointEvent {
            deputy: d,
            kind: "opinion_collected",
            source: ("collected_opinion", o.id),
            at: now,
        };
        crate::ledger::note(c, e, now)?;
    }
    let intake = Intake {
        channel: w.channel,
        station: w.station,
        filed_by: account,
        role: who,
        consent: w.phone.map(|p| p.1),
        name_sealed: w.name.map(|n| pii.seal(crate::platform::pii::field::INTAKE_NAME, n)),
    };
    intakes::insert(c, o.id, &intake, now)?;
    let wake = match deputy {
        Some(d) => Some(crate::live::record(
            c,
            Some(d),
            None,
            "opinion_assigned",
            &serde_json::json!({"ticket": ticket}),
            now,
        )?),
        None => None,
    };
    let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
    Ok((o, wake, constituent))
}

/// What a deputy collected away from a station — at a fixed contact's visit, in a liaison
/// contact — to be filed as a case.
pub struct Collected<'a> {
    pub region_path: &'a str,
    /// A reception category (`other` when unknown).
    pub category: &'a str,
    pub title: &'a str,
    pub content: &'a str,
}

/// Files what a deputy collected as a case that waits for staff and earns the deputy a point,
/// like the deputy's own filing; answers its ticket and the deputy's live news. `day` comes
/// from [`crate::reception::prepare_raise`].
pub fn collect(
    c: &mut AnyConnection,
    pii: &Pii,
    by: &Principal,
    w: &Collected,
    day: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<(String, Option<Wake>)> {
    let category = if rules::CATEGORIES.contains(&w.category) { w.category } else { "other" };
    let title: String = w.title.trim().chars().take(100).collect();
    let walk = WalkIn {
        station: None,
        region_path: w.region_path,
        channel: "deputy_collected",
        category,
        title: &title,
        content: w.content,
        position: (None, None),
        phone: None,
        name: None,
    };
    let (o, wake, _) = file(c, pii, by, &walk, day, now)?;
    Ok((o.ticket, wake))
}
