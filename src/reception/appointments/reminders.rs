//! Reminders of receptions about to begin: the person who booked by text, the deputy by a
//! personal notice (inbox, push, live stream).

use super::routes::booking::tell;
use crate::db::{self, utc};
use crate::error::AppResult;
use crate::reception::store::appointments as store;
use crate::state::AppState;

/// Reminds both sides of confirmed receptions starting within `LVZHI_APPOINTMENT_REMIND_HOURS`
/// (the deputy by a notice with its push, the constituent by SMS; both on the live stream);
/// returns how many were reminded.
pub async fn remind(state: &AppState) -> AppResult<usize> {
    let (now, tz, quiet, pii) = (state.now(), state.settings.tz, state.settings.quiet_hours, state.pii.clone());
    let horizon = now + chrono::Duration::hours(state.settings.appointment_remind_hours);
    let (n, wakes) = db::tx(&state.db, move |c| {
        let due = store::to_remind(c, now, horizon, 200)?;
        let mut wakes = vec![];
        for a in &due {
            let when = utc(a.starts_at).with_timezone(&tz).format("%m月%d日 %H:%M");
            let place = if a.mode == "online" {
                format!("线上：{}", a.video_url.clone().unwrap_or_default())
            } else {
                "联络站现场".to_string()
            };
            let (phone, _) = crate::reception::store::handling::constituent_contact(c, &pii, a.constituent_id)?;
            crate::sms::enqueue_text(
                c,
                &pii,
                &phone,
                &format!("【履职】您预约的代表接待将于{when}开始（{place}）。"),
                &format!("appointment:{}:constituent", a.id),
                now,
            )?;
            // The deputy: a notice of their own (inbox, push, live stream).
            let body = format!("您有一场群众接待将于{when}开始（{place}）。\n\n主题：{}", a.topic);
            wakes.push(
                crate::notices::send_personal(c, a.deputy_id, &format!("接待提醒：{when}"), &body, now, tz, quiet)?.1,
            );
            store::set_reminded(c, a.id, now)?;
            wakes.extend(tell(c, a, now)?);
        }
        Ok((due.len(), wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(n)
}
