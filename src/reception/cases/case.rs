//! One case as each role may see it: who may open which opinion (anyone else gets 404, as for
//! a missing ticket), the one way to change its state (the rules, an event, live news to the
//! constituent and followers), and the views each role gets.

use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::live::Wake;
use crate::platform::pii::Pii;
use crate::reception::cases::rules::{self as rules, Action, Actor};
use crate::reception::model::{view, OpinionView};
use crate::reception::store::handling::{self as hs, MessageRow};
use crate::reception::store::opinions::{self as store, Event, OpinionRow};
use crate::state::AppState;
use actix_web::web;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How the caller stands to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Staff,
    Deputy,
    Unit,
    Owner,
    Follower,
}

impl Access {
    pub fn actor(self) -> Option<Actor> {
        match self {
            Access::Staff => Some(Actor::Staff),
            Access::Deputy => Some(Actor::Deputy),
            Access::Unit => Some(Actor::Unit),
            Access::Owner => Some(Actor::Constituent),
            Access::Follower => None,
        }
    }
    pub fn role(self) -> &'static str {
        match self {
            Access::Staff => "staff",
            Access::Deputy => "deputy",
            Access::Unit => "unit",
            Access::Owner | Access::Follower => "constituent",
        }
    }
    /// Whether the caller sees internal notes and the handling details.
    pub fn inside(self) -> bool {
        matches!(self, Access::Staff | Access::Deputy | Access::Unit)
    }
}

/// Whether congress staff (in their region subtree) or station staff (of the case's station)
/// handle this case.
pub fn is_staff_of(p: &Principal, o: &OpinionRow) -> bool {
    match p.role {
        Role::Admin => p.region_path.as_deref().is_none_or(|s| o.region_path.starts_with(s)),
        Role::StationStaff => o.station_id.is_some_and(|s| p.stations.contains(&s)),
        _ => false,
    }
}

/// Opens a case for the caller: 404 when it does not exist or is not theirs to see.
pub fn open(c: &mut AnyConnection, p: &Principal, ticket: &str) -> AppResult<(OpinionRow, Access)> {
    if p.role == Role::Client {
        return Err(AppError::forbidden(Code::Forbidden, "opinions are not open to third-party clients"));
    }
    let o = store::by_ticket(c, ticket)?.ok_or_else(AppError::not_found)?;
    let access = match p.role {
        Role::Admin | Role::StationStaff if is_staff_of(p, &o) => Some(Access::Staff),
        Role::Deputy if p.deputy_id.is_some() && o.deputy_id == p.deputy_id => Some(Access::Deputy),
        Role::Unit if p.unit_id.is_some() && o.unit_id == p.unit_id && o.forwarded_at.is_some() => Some(Access::Unit),
        Role::Constituent => match store::constituent_of(c, p.account_id)? {
            Some(me) if Some(me) == o.constituent_id => Some(Access::Owner),
            Some(me) if crate::reception::store::threads::is_follower(c, o.id, me)? => Some(Access::Follower),
            _ => None,
        },
        _ => None,
    };
    Ok((o, access.ok_or_else(AppError::not_found)?))
}

/// Opens a case and insists on one way of standing to it (403 for a role that never may, 404
/// for a case out of reach).
pub fn open_as(c: &mut AnyConnection, p: &Principal, ticket: &str, want: Access) -> AppResult<OpinionRow> {
    let allowed = match want {
        Access::Staff => matches!(p.role, Role::Admin | Role::StationStaff),
        Access::Deputy => p.role == Role::Deputy,
        Access::Unit => p.role == Role::Unit,
        Access::Owner | Access::Follower => p.role == Role::Constituent,
    };
    if !allowed {
        return Err(AppError::forbidden(Code::Forbidden, format!("only the case's {} may do this", want.role())));
    }
    match open(c, p, ticket)? {
        (o, a) if a == want => Ok(o),
        _ => Err(AppError::not_found()),
    }
}

/// Moves a case by the rules, records the event and tells its constituent and followers.
/// Returns the new state and the live wakes to announce after the commit.
pub fn transition(
    c: &mut AnyConnection,
    o: &OpinionRow,
    action: Action,
    by: (&Principal, Access),
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<(&'static str, Vec<Wake>)> {
    let actor = by.1.actor().ok_or_else(AppError::not_found)?;
    let to = rules::next(&o.status, action, actor).ok_or_else(|| {
        AppError::conflict(Code::IllegalTransition, format!("not possible while the opinion is {}", o.status))
    })?;
    let wakes = move_to(c, o, to, by, note, now)?;
    Ok((to, wakes))
}

/// Records a change to `to` (already allowed by the rules), with its event and live news.
pub fn move_to(
    c: &mut AnyConnection,
    o: &OpinionRow,
    to: &str,
    by: (&Principal, Access),
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<Vec<Wake>> {
    if to != o.status && !store::set_status(c, o.id, &o.status, to, now)? {
        return Err(AppError::conflict(Code::IllegalTransition, "the opinion changed meanwhile"));
    }
    store::event(
        c,
        o.id,
        &Event { from: Some(&o.status), to, account: by.0.account_id, role: by.1.role(), note },
        now,
    )?;
    tell(
        c,
        o,
        "opinion_status",
        &serde_json::json!({"ticket": o.ticket, "from": o.status, "status": to, "note": note}),
        now,
    )
}

/// Live news of a case for its constituent and followers.
pub fn tell(
    c: &mut AnyConnection,
    o: &OpinionRow,
    kind: &str,
    data: &serde_json::Value,
    now: NaiveDateTime,
) -> AppResult<Vec<Wake>> {
    let owner = match o.constituent_id {
        Some(k) => Some(hs::constituent_account(c, k)?),
        None => None,
    };
    // Followers hear of changes of status only, without their notes; the rest is the owner's.
    let mut public = data.clone();
    if let Some(m) = public.as_object_mut() {
        m.remove("note");
    }
    let mut wakes = vec![];
    for a in crate::reception::store::threads::audience(c, o)? {
        match (Some(a) == owner, kind) {
            (true, _) => wakes.push(crate::live::record_for_account(c, a, kind, data, now)?),
            (false, "opinion_status") => wakes.push(crate::live::record_for_account(c, a, kind, &public, now)?),
            (false, _) => {}
        }
    }
    Ok(wakes)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    /// constituent, deputy, staff or unit.
    pub author: String,
    /// Plain text.
    pub body: String,
    /// An internal note (never shown to the constituent).
    pub internal: bool,
    pub at: DateTime<Utc>,
}

pub fn message_views(rows: Vec<MessageRow>) -> Vec<MessageView> {
    rows.into_iter()
        .map(|(id, author, body, internal, at)| MessageView { id, author, body, internal, at: utc(at) })
        .collect()
}

/// A case with its history and thread, as the caller may see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseView {
    #[serde(flatten)]
    pub opinion: OpinionView,
    /// How the caller stands to the case: staff, deputy, unit, owner or follower.
    pub access: String,
    pub messages: Vec<MessageView>,
    /// `138****1234` (for those handling the case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_masked: Option<String>,
    /// Open cases of the same category within 200 m and 30 days (staff view): merge candidates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<Vec<crate::reception::cases::routes::similar::SimilarCase>>,
    /// The title and answer staff approved as public: all followers see of the case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_answer: Option<String>,
    /// Photos uploaded with the opinion, through signed links valid 10 minutes (the single
    /// view, for the person who filed it and those handling it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<crate::reception::cases::routes::photos::PhotoLink>,
    /// Whether its milestones are texted (the single view, for the person who filed it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub texts: Option<bool>,
    /// How a case filed for someone came in — walk_in, phone, letter or reception (the single
    /// view, for those handling it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// The case view for `access`: constituents never see internal notes; followers see the
/// history but not the thread addressed to the person who filed it.
pub fn case_view(
    c: &mut AnyConnection,
    pii: &Pii,
    o: OpinionRow,
    access: Access,
    now: NaiveDateTime,
) -> AppResult<CaseView> {
    let (events, inside) = (store::events(c, o.id)?, access.inside());
    let phone_masked = match (inside, o.constituent_id) {
        (true, Some(k)) => Some(crate::org::rules::mask_phone(&hs::constituent_contact(c, pii, k)?.0)),
        _ => None,
    };
    let duplicates = match (access, o.latitude, o.longitude) {
        (Access::Staff, Some(la), Some(lo)) => Some(
            crate::reception::cases::routes::similar::similar_to(c, &o.category, (la, lo), o.created_at, o.id)?
                .into_iter()
                .map(|(d, m)| crate::reception::cases::routes::similar::similar_case(d, m, None))
                .collect(),
        ),
        (Access::Staff, ..) => Some(vec![]),
        _ => None,
    };
    let messages = match access {
        Access::Follower => vec![],
        a => crate::reception::store::threads::messages(c, o.id, a.inside())?,
    };
    let (public_title, public_answer) =
        store::publications(c, &[o.id])?.remove(&o.id).map_or((None, None), |(t, a)| (Some(t), a));
    let mut v = view(o, Some(events)).at(now);
    if access == Access::Follower {
        v = v.summary_only(public_title.as_deref());
    } else if !inside {
        v.hide_handling();
    }
    Ok(CaseView {
        opinion: v,
        access: format!("{access:?}").to_lowercase(),
        messages: message_views(messages),
        phone_masked,
        duplicates,
        public_title,
        public_answer,
        photos: vec![],
        texts: None,
        channel: None,
    })
}

/// Runs an action of someone standing to the case as `access`, in one transaction, and
/// announces its live news after the commit.
pub async fn act<F>(
    state: &AppState,
    p: Principal,
    ticket: String,
    access: Access,
    f: F,
) -> AppResult<web::Json<CaseView>>
where
    F: FnOnce(&mut AnyConnection, &Principal, &OpinionRow, NaiveDateTime) -> AppResult<Vec<Wake>> + Send + 'static,
{
    let (now, pii) = (state.now(), state.pii.clone());
    let (v, wakes) = db::tx(&state.db, move |c| {
        let o = open_as(c, &p, &ticket, access)?;
        let wakes = f(c, &p, &o, now)?;
        let o = store::by_ticket(c, &ticket)?.ok_or_else(AppError::not_found)?;
        Ok((case_view(c, &pii, o, access, now)?, wakes))
    })
    .await?;
    crate::live::announce(state, &wakes).await;
    Ok(web::Json(v))
}
