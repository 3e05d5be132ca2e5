//! Publishing: the audience resolved into inbox rows and pushes in the publication's transaction.

use super::audience::{self, Audience};
use super::store::{self, NoticeRow};
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::live::Wake;
use chrono::{NaiveDateTime, NaiveTime};

/// Publishes a draft or scheduled notice now: one inbox row per deputy, one push per device
/// (normal notices wait out the quiet hours; urgent ones go at once) and one live event.
/// Returns the deputies reached and the wake to announce after the commit.
pub fn publish_in(
    c: &mut AnyConnection,
    id: i64,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
    quiet: Option<(NaiveTime, NaiveTime)>,
) -> AppResult<(usize, Wake)> {
    let n = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    if !matches!(n.status.as_str(), "draft" | "scheduled") {
        return Err(AppError::conflict(Code::NotPublishable, format!("the notice is {}", n.status)));
    }
    let a: Audience = serde_json::from_str(&n.audience).map_err(AppError::internal)?;
    let deputies = audience::resolve(c, &n.region_path, &a)?;
    // The state changes first: that row's lock makes a concurrent publisher wait for this
    // transaction and then find the notice published, instead of racing it into the inbox.
    if !store::mark_published(c, id, deputies.len() as i64, now)? {
        return Err(AppError::conflict(Code::NotPublishable, "the notice was published meanwhile"));
    }
    store::fill_inbox(c, id, &deputies)?;
    let timing = crate::push::Timing { now, urgent: n.priority == "urgent", tz, quiet };
    crate::push::enqueue(c, &super::headline(&n), &deputies, 0, &timing)?;
    let data = serde_json::json!({"notice_id": id, "kind": n.kind, "title": n.title, "priority": n.priority, "rsvp_required": n.rsvp_required});
    let wake = crate::live::record(c, None, Some(id), "notice", &data, now)?;
    Ok((deputies.len(), wake))
}

pub fn view(c: &mut AnyConnection, n: NoticeRow, with_stats: bool) -> AppResult<super::model::NoticeView> {
    let stats = if with_stats { Some(stats(c, n.id, n.rsvp_required)?) } else { None };
    Ok(super::model::NoticeView {
        id: n.id,
        region_id: n.region_id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        priority: n.priority,
        pinned: n.pinned,
        audience: serde_json::from_str(&n.audience).unwrap_or_default(),
        status: n.status,
        publish_at: n.publish_at.map(utc),
        published_at: n.published_at.map(utc),
        expires_at: n.expires_at.map(utc),
        rsvp_required: n.rsvp_required,
        rsvp_deadline: n.rsvp_deadline.map(utc),
        leave_needs_approval: n.leave_needs_approval,
        event_id: n.event_id,
        created_at: utc(n.created_at),
        stats,
        attachments: vec![],
    })
}

fn stats(c: &mut AnyConnection, id: i64, rsvp_required: bool) -> AppResult<super::model::NoticeStats> {
    let ((targeted, read, pushed, acknowledged), groups) = store::counts(c, id)?;
    let mut s = super::model::NoticeStats { targeted, read, pushed, acknowledged, ..Default::default() };
    for (rsvp, leave, k) in groups {
        match (rsvp.as_deref(), leave.as_deref()) {
            (Some("attend"), _) => s.attend += k,
            (Some("leave"), Some("pending")) => {
                s.leave += k;
                s.leave_pending += k;
            }
            (Some("leave"), _) => s.leave += k,
            (None, _) if rsvp_required => s.unanswered += k,
            _ => {}
        }
    }
    Ok(s)
}

/// A notice from the system to one deputy (a reminder of a reception, of a deadline): in their
/// inbox, pushed to their phones, on their live stream, published under the congress of the
/// deputy's first seat. Returns the notice and the wake to announce after the commit.
pub fn personal(
    c: &mut AnyConnection,
    deputy: i64,
    title: &str,
    body: &str,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
    quiet: Option<(NaiveTime, NaiveTime)>,
) -> AppResult<(i64, Wake)> {
    let scope = crate::org::deputy_region_paths(c, deputy)?
        .and_then(|p| p.into_iter().next())
        .ok_or_else(AppError::not_found)?;
    let region: i64 = scope
        .trim_matches('/')
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| AppError::internal("bad region path"))?;
    let audience = Audience { deputies: vec![deputy], ..Default::default() };
    let (id, _, wake) = from_system(c, (region, &scope), ("general", title, body), &audience, now, tz, quiet)?;
    Ok((id, wake))
}

/// Publishes a notice from the system (no author) of `kind` to `audience` under the congress
/// `(region id, path)`; answers the notice, the deputies reached and the wake.
pub fn from_system(
    c: &mut AnyConnection,
    congress: (i64, &str),
    (kind, title, body): (&str, &str, &str),
    audience: &Audience,
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
    quiet: Option<(NaiveTime, NaiveTime)>,
) -> AppResult<(i64, usize, Wake)> {
    let audience = serde_json::to_string(audience).map_err(AppError::internal)?;
    let id = store::insert(
        c,
        &store::NewNotice {
            region_id: congress.0,
            region_path: congress.1,
            kind,
            title,
            body,
            priority: "normal",
            pinned: false,
            audience: &audience,
            status: "draft",
            publish_at: None,
            published_at: None,
            expires_at: None,
            rsvp_required: false,
            rsvp_deadline: None,
            leave_needs_approval: false,
            event_id: None,
            targeted: 0,
            remind_round: 0,
            created_by: 0,
            created_at: now,
            version: 1,
        },
    )?;
    let (reached, wake) = publish_in(c, id, now, tz, quiet)?;
    Ok((id, reached, wake))
}
