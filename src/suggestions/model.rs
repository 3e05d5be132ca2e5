//! API types of suggestions, and who stands how to one (author, co-signer, staff, unit).

use super::store::{self, SuggestionRow};
use crate::auth::{Principal, Role};
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CosignerView {
    pub deputy_id: i64,
    /// invited, confirmed or declined.
    pub status: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[schema(as = SuggestionUnitView)]
pub struct UnitView {
    pub unit_id: i64,
    /// lead or co.
    pub role: String,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    pub id: i64,
    pub unit_id: i64,
    /// phone, visit or meeting.
    pub channel: String,
    /// YYYY-MM-DD.
    pub contacted_on: String,
    pub summary: String,
    pub round: i32,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestionView {
    pub id: i64,
    /// `JY2026-000123`, given at the first submission.
    pub number: Option<String>,
    pub author_deputy_id: i64,
    pub title: String,
    pub content: String,
    pub category: String,
    /// session or recess.
    pub period: String,
    /// draft, submitted, returned, accepted, assigned, replied, evaluated, withdrawn or converted.
    pub status: String,
    /// The author agreed to publish the reply.
    pub publish_consent: bool,
    /// A key suggestion (重点建议) and the leader supervising it.
    pub key_leader: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    /// Assigned and past its deadline without a reply (red).
    pub overdue: bool,
    /// A solved, B being solved, C hard to solve now.
    pub classification: Option<String>,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub satisfaction: Option<String>,
    pub evaluation: Option<String>,
    /// 1, or 2 after an unsatisfied evaluation sent it back.
    pub round: i32,
    /// The opinion (ticket) it was turned into, handled in the reception room from then on.
    pub opinion_ticket: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cosigners: Option<Vec<CosignerView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<UnitView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Vec<ContactView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<crate::http::StatusChange>>,
    /// Files with signed download links (single view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<crate::notices::AttachmentView>>,
}

pub fn view(s: SuggestionRow, now: NaiveDateTime) -> SuggestionView {
    SuggestionView {
        overdue: s.status == "assigned" && s.due_at.is_some_and(|d| d < now),
        id: s.id,
        number: s.number,
        author_deputy_id: s.author_deputy_id,
        title: s.title,
        content: s.content,
        category: s.category,
        period: s.period,
        status: s.status,
        publish_consent: s.publish_consent,
        key_leader: s.key_leader,
        due_at: s.due_at.map(utc),
        classification: s.classification,
        reply: s.reply,
        replied_at: s.replied_at.map(utc),
        satisfaction: s.satisfaction,
        evaluation: s.evaluation,
        round: s.round,
        opinion_ticket: s.opinion_ticket,
        created_at: utc(s.created_at),
        updated_at: utc(s.updated_at),
        cosigners: None,
        units: None,
        contacts: None,
        events: None,
        attachments: None,
    }
}

/// The single view: with co-signers, units, contacts and history.
pub fn full_view(
    c: &mut AnyConnection,
    keys: &crate::auth::KeySet,
    s: SuggestionRow,
    now: NaiveDateTime,
) -> AppResult<SuggestionView> {
    let id = s.id;
    let mut v = view(s, now);
    v.attachments =
        Some(super::routes::attachments::views(keys, crate::db::utc(now).timestamp(), store::attachments(c, id)?));
    v.cosigners = Some(
        store::cosigners(c, id)?.into_iter().map(|(deputy_id, status)| CosignerView { deputy_id, status }).collect(),
    );
    v.units = Some(
        store::units(c, id)?
            .into_iter()
            .map(|(unit_id, role, a)| UnitView { unit_id, role, acknowledged_at: a.map(utc) })
            .collect(),
    );
    v.contacts = Some(
        store::contacts(c, id)?
            .into_iter()
            .map(|(id, unit_id, channel, contacted_on, summary, round)| ContactView {
                id,
                unit_id,
                channel,
                contacted_on,
                summary,
                round,
            })
            .collect(),
    );
    v.events = Some(crate::http::history(store::events(c, id)?));
    Ok(v)
}

/// How the caller stands to a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stand {
    Author,
    Cosigner,
    Staff,
    /// An assigned unit: (lead?).
    Unit(bool),
}

impl Stand {
    pub fn role(self) -> &'static str {
        match self {
            Stand::Author | Stand::Cosigner => "deputy",
            Stand::Staff => "staff",
            Stand::Unit(_) => "unit",
        }
    }
}

/// Opens a suggestion for the caller: 404 when it does not exist or is not theirs to see.
pub fn open(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(SuggestionRow, Stand)> {
    let s = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    let stand = match p.role {
        Role::Deputy if p.deputy_id == Some(s.author_deputy_id) => Some(Stand::Author),
        Role::Deputy => match p.deputy_id {
            Some(d) if store::cosigners(c, id)?.iter().any(|x| x.0 == d) => Some(Stand::Cosigner),
            _ => None,
        },
        Role::Admin if s.status != "draft" && p.region_path.as_deref().is_none_or(|x| s.region_path.starts_with(x)) => {
            Some(Stand::Staff)
        }
        Role::Unit => {
            store::units(c, id)?.into_iter().find(|u| Some(u.0) == p.unit_id).map(|u| Stand::Unit(u.1 == "lead"))
        }
        _ => None,
    };
    Ok((s, stand.ok_or_else(AppError::not_found)?))
}
