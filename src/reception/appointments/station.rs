//! What a change of the duty roster does to the bookings in it: a cancelled slot or a deputy who
//! withdraws cancels them (`cancelled_by_station`), a replacement deputy takes them over, a new
//! start moves them; every person who booked is texted, and both sides hear of it live.

use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::live::Wake;
use crate::platform::pii::Pii;
use crate::reception::appointments::routes::booking::tell;
use crate::reception::rules;
use crate::reception::store::appointments::{self as store, AppointmentRow};
use chrono::{NaiveDateTime, NaiveTime};

/// How texts to those who booked are sent: keys, quiet hours, zone, the pages' base address.
pub struct Texting<'a> {
    pub pii: &'a Pii,
    pub quiet: Option<(NaiveTime, NaiveTime)>,
    pub tz: chrono_tz::Tz,
    pub base: Option<&'a str>,
}

/// Texts the person who booked of what became of it (`kind`: the new status, or `moved`,
/// `retimed`), once per booking, kind, deputy and start.
pub(in crate::reception) fn text_booker(
    c: &mut AnyConnection,
    t: &Texting,
    a: &AppointmentRow,
    kind: &str,
    why: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let (phone, _) = crate::reception::store::handling::constituent_contact(c, t.pii, a.constituent_id)?;
    let when = utc(a.starts_at).with_timezone(&t.tz).format("%m月%d日 %H:%M").to_string();
    let body = rules::appointment_text(kind, &when, why, t.base);
    let who = format!("constituent:{}", a.constituent_id);
    let dedup = format!("appointment:{}:{kind}:{}:{}", a.id, a.deputy_id, a.starts_at.and_utc().timestamp());
    crate::sms::enqueue_milestone(c, t.pii, (&phone, &who), &body, &dedup, now, (t.quiet, t.tz))?;
    Ok(())
}

/// A change of the roster, as the bookings of a slot feel it.
pub enum RosterChange<'a> {
    /// The slot is cancelled, or (with a deputy) that deputy leaves it without a replacement.
    Cancel { deputy: Option<i64>, reason: &'a str },
    /// The deputy leaves; the replacement (already on the slot) takes their bookings.
    Reassign { from: i64, to: i64, to_name: &'a str },
    /// The slot starts at another time.
    Retime { starts: NaiveDateTime },
}

/// Whether a deputy holds a confirmed booking in the slot (a deputy who does is removed only
/// with a replacement or with their bookings cancelled).
pub fn holds_confirmed(c: &mut AnyConnection, slot: i64, deputy: i64) -> AppResult<bool> {
    Ok(store::live_of_slot(c, slot, Some(deputy))?.iter().any(|a| a.status == "confirmed"))
}

/// Applies a roster change to the slot's live bookings in the caller's transaction: texts every
/// person who booked; answers the live news and how many bookings it touched.
pub fn on_roster_change(
    c: &mut AnyConnection,
    t: &Texting,
    slot: i64,
    change: &RosterChange,
    now: NaiveDateTime,
) -> AppResult<(Vec<Wake>, usize)> {
    let (mut wakes, mut n) = (vec![], 0);
    match change {
        RosterChange::Cancel { deputy, reason } => {
            for a in store::live_of_slot(c, slot, *deputy)? {
                n += cancel(c, t, &a, reason, now, &mut wakes)?;
            }
        }
        RosterChange::Reassign { from, to, to_name } => {
            let theirs: Vec<i64> = store::live_of_slot(c, slot, Some(*to))?.iter().map(|a| a.constituent_id).collect();
            for a in store::live_of_slot(c, slot, Some(*from))? {
                // One live booking per person, deputy and slot: someone who booked both keeps theirs.
                if theirs.contains(&a.constituent_id) {
                    n += cancel(c, t, &a, "已有同一时段的预约", now, &mut wakes)?;
                    continue;
                }
                if store::move_to(c, a.id, *to, now)? {
                    let a = store::get(c, a.id)?.ok_or_else(AppError::not_found)?;
                    text_booker(c, t, &a, "moved", Some(to_name), now)?;
                    wakes.extend(tell(c, &a, now)?);
                    n += 1;
                }
            }
        }
        RosterChange::Retime { starts } => {
            store::retime(c, slot, *starts, now)?;
            for a in store::live_of_slot(c, slot, None)? {
                text_booker(c, t, &a, "retimed", None, now)?;
                wakes.extend(tell(c, &a, now)?);
                n += 1;
            }
        }
    }
    Ok((wakes, n))
}

fn cancel(
    c: &mut AnyConnection,
    t: &Texting,
    a: &AppointmentRow,
    reason: &str,
    now: NaiveDateTime,
    wakes: &mut Vec<Wake>,
) -> AppResult<usize> {
    if !store::set_status(c, a.id, &a.status, "cancelled_by_station", Some(reason), now)? {
        return Err(AppError::conflict(Code::IllegalTransition, "a booking changed meanwhile; try again"));
    }
    let a = store::get(c, a.id)?.ok_or_else(AppError::not_found)?;
    text_booker(c, t, &a, "cancelled_by_station", Some(reason), now)?;
    wakes.extend(tell(c, &a, now)?);
    Ok(1)
}
