//! The templates the desk fills, with their lines already put in words.

use super::model::Day;
use super::rules;
use crate::pages::kit::Head;
use crate::pages::rules::{appointment_status_name, duty_when, local_time, status_name};
use askama::Template;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "desk/sign_in.html")]
pub struct SignInPage {
    pub head: Head,
    pub username: String,
    pub next: String,
    pub error: Option<&'static str>,
}

pub struct SlotLine {
    pub id: i64,
    pub when: String,
    pub people: String,
    pub note: String,
}

pub struct CheckinLine {
    pub id: i64,
    pub who: String,
    pub when: String,
    pub status: &'static str,
    pub pending: bool,
    pub reasons: String,
}

pub struct BookingLine {
    pub when: String,
    pub who: String,
    pub topic: String,
    pub phone: String,
    pub status: &'static str,
}

pub struct WalkInLine {
    pub ticket: String,
    pub channel: &'static str,
    pub title: String,
    pub name: String,
    pub when: String,
    pub status: &'static str,
}

/// What the walk-in form holds (kept when it is shown again with an error).
#[derive(Debug, Default, Clone)]
pub struct WalkInDraft {
    pub channel: String,
    pub category: String,
    pub title: String,
    pub content: String,
    pub name: String,
    pub phone: String,
    pub consent: String,
}

#[derive(Template)]
#[template(path = "desk/day.html")]
pub struct DayPage {
    pub head: Head,
    pub staff: String,
    pub station: i64,
    pub station_name: String,
    pub date: String,
    pub prev: String,
    pub next: String,
    pub slots: Vec<SlotLine>,
    pub checkins: Vec<CheckinLine>,
    pub bookings: Vec<BookingLine>,
    pub events: Vec<String>,
    pub walk_ins: Vec<WalkInLine>,
    pub done: Option<String>,
    pub error: Option<&'static str>,
    pub draft: WalkInDraft,
    /// A fresh key: a form sent twice files one case.
    pub form_key: String,
    pub channels: &'static [(&'static str, &'static str)],
    pub categories: &'static [(&'static str, &'static str)],
}

#[derive(Template)]
#[template(path = "desk/slot.html")]
pub struct SlotPage {
    pub head: Head,
    pub station: i64,
    pub id: i64,
    pub version: i64,
    pub when: String,
    pub starts: String,
    pub ends: String,
    pub people: String,
    /// (id, name) of the deputies on the slot: ticked boxes, unticked to take one off.
    pub on_duty: Vec<(i64, String)>,
    pub note: String,
    pub error: Option<&'static str>,
}

/// The screen at a duty report's session: its QR code (an SVG the server drew from its own URL).
#[derive(Template)]
#[template(path = "desk/session.html")]
pub struct SessionPage {
    pub head: Head,
    pub svg: String,
}

#[derive(Template)]
#[template(path = "desk/message.html")]
pub struct MessagePage {
    pub head: Head,
    pub heading: String,
    pub text: String,
}

/// The day's lines, put in words (deputies named from the day's duty slots).
#[allow(clippy::type_complexity)]
pub fn lines(
    day: Day,
    tz: chrono_tz::Tz,
) -> (Vec<SlotLine>, Vec<CheckinLine>, Vec<BookingLine>, Vec<String>, Vec<WalkInLine>) {
    let names: HashMap<i64, String> =
        day.slots.iter().flat_map(|s| s.deputies.iter().map(|d| (d.deputy_id, d.name.clone()))).collect();
    let who = |id: i64| names.get(&id).map_or_else(|| format!("代表（编号{id}）"), |n| format!("{n}代表"));
    let slots = day
        .slots
        .iter()
        .map(|s| SlotLine {
            id: s.id,
            when: duty_when(s.starts_at, s.ends_at, tz),
            people: s
                .deputies
                .iter()
                .map(|d| match d.outcome.as_deref() {
                    Some("present") => format!("{}（已到）", d.name),
                    Some("no_show") => format!("{}（未到）", d.name),
                    _ => d.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("、"),
            note: s.note.clone().unwrap_or_default(),
        })
        .collect();
    let checkins = day
        .checkins
        .iter()
        .map(|c| CheckinLine {
            id: c.id,
            who: who(c.deputy_id),
            when: match c.checked_out_at {
                Some(out) => format!("{}–{}", local_time(c.checked_in_at, tz), local_time(out, tz)),
                None => format!("{} 起在站", local_time(c.checked_in_at, tz)),
            },
            status: rules::checkin_status_name(&c.status),
            pending: c.status == "pending_review",
            reasons: c.reasons.iter().map(|r| rules::reason_name(r)).collect::<Vec<_>>().join("；"),
        })
        .collect();
    let bookings = day
        .bookings
        .iter()
        .map(|b| BookingLine {
            when: local_time(b.starts_at, tz),
            who: if b.mode == "online" { format!("{}（视频）", who(b.deputy_id)) } else { who(b.deputy_id) },
            topic: b.topic.clone(),
            phone: b.phone_masked.clone(),
            status: appointment_status_name(&b.status),
        })
        .collect();
    let events = day.events.iter().map(|e| format!("{} {}", duty_when(e.starts_at, e.ends_at, tz), e.title)).collect();
    let walk_ins = day
        .walk_ins
        .into_iter()
        .map(|w| WalkInLine {
            channel: rules::channel_name(&w.channel),
            when: local_time(w.filed_at, tz),
            status: status_name(&w.status),
            name: w.name.unwrap_or_default(),
            ticket: w.ticket,
            title: w.title,
        })
        .collect();
    (slots, checkins, bookings, events, walk_ins)
}
