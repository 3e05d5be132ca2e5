//! Texts to the person who filed a case at its milestones — accepted or rejected (with the
//! reason), answered by the deputy, replied by the unit, closed (with the link to rate) — read
//! from the case events after a mark, so no handler has to remember them and a crash between
//! the change and the text loses nothing. One text per (case, milestone, round), none for a case
//! whose texts are off, at most five a day to one person, none in the quiet hours.

use crate::db;
use crate::error::AppResult;
use crate::reception::cases::rules;
use crate::reception::store::{handling as hs, media};
use crate::state::AppState;

/// Queues the texts of milestones reached since the last run; returns how many were queued.
pub async fn text_milestones(state: &AppState) -> AppResult<usize> {
    let (now, pii, quiet, tz) = (state.now(), state.pii.clone(), state.settings.quiet_hours, state.settings.tz);
    let base = state.settings.public_base_url.clone();
    db::tx(&state.db, move |c| {
        let rows = media::milestones(c, &rules::TEXTED, 500)?;
        let Some(last) = rows.last().map(|r| r.0) else { return Ok(0) };
        let off = media::optouts(c, &rows.iter().map(|r| r.1).collect::<Vec<_>>())?;
        let people: Vec<i64> = rows.iter().filter_map(|r| r.3).collect();
        let phones = hs::constituent_phones(c, &pii, &people)?;
        let mut queued = 0;
        for (_, opinion, ticket, constituent, round, to, note) in &rows {
            let Some(k) = constituent.filter(|_| !off.contains(opinion)) else { continue };
            let Some(phone) = phones.get(&k) else { continue };
            let link = rules::case_link(base.as_deref(), ticket);
            let body = rules::milestone_text(to, ticket, note.as_deref(), &link);
            let dedup = format!("case:{opinion}:{to}:r{round}");
            let to = (phone.as_str(), format!("constituent:{k}"));
            if crate::sms::enqueue_milestone(c, &pii, (to.0, &to.1), &body, &dedup, now, (quiet, tz))? {
                queued += 1;
            }
        }
        media::set_mark(c, last)?;
        Ok(queued)
    })
    .await
}
