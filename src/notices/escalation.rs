//! Escalation by SMS: an urgent notice goes by text to the deputies who have not read it; a
//! notice asking for an answer goes by text to those who have not read or answered it
//! `LVZHI_SMS_ESCALATE_HOURS` (default 24) before its deadline. Each notice escalates once, and
//! a deputy is texted at most once per notice.

use super::store::{self, NoticeRow};
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{NaiveDateTime, TimeZone};

/// The text of an escalation.
pub fn text(n: &NoticeRow, tz: chrono_tz::Tz) -> String {
    match (n.priority.as_str(), n.rsvp_deadline) {
        ("urgent", _) => format!("【人大履职】紧急通知：{}。请打开履职App查看。", n.title),
        (_, Some(d)) => {
            let local = tz.from_utc_datetime(&d).format("%m月%d日%H:%M");
            format!("【人大履职】{}：请于{local}前在履职App中查看并回复。", n.title)
        }
        _ => format!("【人大履职】{}：请打开履职App查看。", n.title),
    }
}

fn escalate(
    c: &mut AnyConnection,
    pii: &crate::platform::pii::Pii,
    n: &NoticeRow,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let deputies = store::to_chase(c, n.id, n.priority != "urgent" && n.rsvp_required)?;
    let phones = crate::org::deputy_phones(c, &deputies)?;
    let queued = crate::sms::enqueue(c, pii, n.id, &phones, &text(n, tz), now)?;
    store::mark_escalated(c, n.id, now)?;
    Ok(queued)
}

/// Escalates every notice that is due; returns the texts queued.
pub async fn escalate_due(state: &AppState) -> AppResult<usize> {
    let (now, tz, pii) = (state.now(), state.settings.tz, state.pii.clone());
    let horizon = now + chrono::Duration::hours(state.settings.sms_escalate_hours);
    db::tx(&state.db, move |c| {
        let mut n = 0;
        for notice in store::to_escalate(c, now, horizon)? {
            n += escalate(c, &pii, &notice, tz, now)?;
        }
        Ok(n)
    })
    .await
}
