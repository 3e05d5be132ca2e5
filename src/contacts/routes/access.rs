//! Who may see a fixed contact — its deputy, and congress staff whose scope holds it — and its
//! view.

use crate::auth::policy::{self, Action};
use crate::auth::{Principal, Role};
use crate::contacts::model::FixedContactView;
use crate::contacts::rules;
use crate::contacts::store::{self, ContactRow};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult, Code};
use chrono::NaiveDate;

/// How the caller stands to a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stand {
    Owner,
    Staff,
}

/// The contact and how the caller stands to it (404 for anyone else, another deputy included).
pub fn open(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(ContactRow, Stand)> {
    let row = store::get(c, id)?.ok_or_else(AppError::not_found)?;
    if p.deputy_id.is_some() && p.deputy_id == Some(row.deputy_id) {
        return Ok((row, Stand::Owner));
    }
    if policy::staff_over(p, &row.region_path, Action::Read) {
        return Ok((row, Stand::Staff));
    }
    Err(AppError::not_found())
}

/// The calling deputy (403 for anyone else: fixed contacts are a deputy's own list).
pub fn me(p: &Principal) -> AppResult<i64> {
    match (p.role, p.deputy_id) {
        (Role::Deputy, Some(d)) => Ok(d),
        _ => Err(AppError::forbidden(Code::Forbidden, "deputies keep their fixed contacts")),
    }
}

/// The contact as shown, its phone masked; due and overdue reckoned on `today`.
pub fn view(r: ContactRow, pii: &crate::platform::pii::Pii, today: NaiveDate) -> AppResult<FixedContactView> {
    let phone = pii.open(crate::platform::pii::field::FIXED_CONTACT_PHONE, &r.phone_sealed)?;
    let due = rules::day(&r.due_on).unwrap_or(today);
    Ok(FixedContactView {
        id: r.id,
        deputy_id: r.deputy_id,
        name: r.name,
        phone_masked: crate::org::rules::mask_phone(&phone),
        community: r.community,
        every_days: r.every_days,
        consent_on: r.consent_on,
        consent_how: r.consent_how,
        overdue: r.status == "active" && due < today,
        status: r.status,
        last_visit_on: r.last_visit_on,
        due_on: due.format("%Y-%m-%d").to_string(),
        created_at: crate::db::utc(r.created_at),
    })
}
