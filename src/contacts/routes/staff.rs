//! Routes: what congress staff see of fixed contacts — counts per deputy and the overdue
//! contacts, phones masked — and the audited full phone (its deputy too).

use super::access;
use crate::auth::Principal;
use crate::contacts::model::{ContactsQuery, ContactsSummary, DeputyContacts, FixedContactPhone, FixedContactView};
use crate::contacts::store;
use crate::db;
use crate::error::{AppResult, ReadErrors};
use crate::platform::pii::field;
use crate::state::AppState;
use actix_web::{get, web};
use chrono::Datelike;
use std::collections::BTreeMap;

/// Fixed contacts under a congress (its staff): per deputy and the overdue ones.
#[utoipa::path(tag = "contacts", params(ContactsQuery), responses((status = 200, body = ContactsSummary), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/fixed-contacts")]
pub async fn summary(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<ContactsQuery>,
) -> AppResult<web::Json<ContactsSummary>> {
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let pii = state.pii.clone();
    let out = db::run(&state.db, move |c| {
        let refusal = ("region_id", "congress staff see the fixed contacts");
        let (id, path) = crate::org::staff_congress(c, &p, q.region_id, crate::auth::policy::Action::Read, refusal)?;
        let year = today.year();
        let bounds = (format!("{year}-01-01"), format!("{}-01-01", year + 1));
        let visits = store::visits_per_deputy(c, &path, (&bounds.0, &bounds.1))?;
        let rows = store::active_under(c, &path)?;
        let total = rows.len() as i64;
        let today_s = today.format("%Y-%m-%d").to_string();
        let mut per: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        let mut late: Vec<store::ContactRow> = vec![];
        for r in rows {
            let e = per.entry(r.deputy_id).or_default();
            e.0 += 1;
            if r.due_on < today_s {
                e.1 += 1;
                late.push(r);
            }
        }
        late.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.id.cmp(&b.id)));
        let overdue_count = late.len() as i64;
        // Only the overdue contacts listed have their phone opened (to be masked).
        let overdue = late
            .into_iter()
            .take(500)
            .map(|r| access::view(r, &pii, today))
            .collect::<AppResult<Vec<FixedContactView>>>()?;
        let ids: Vec<i64> = per.keys().copied().collect();
        let names: std::collections::HashMap<i64, String> = crate::org::deputy_names(c, &ids)?.into_iter().collect();
        let deputies = per
            .into_iter()
            .map(|(d, (n, late))| DeputyContacts {
                deputy_id: d,
                name: names.get(&d).cloned().unwrap_or_default(),
                contacts: n,
                overdue: late,
                visits_this_year: visits.get(&d).copied().unwrap_or(0),
            })
            .collect();
        Ok(ContactsSummary { region_id: id, contacts: total, overdue_count, deputies, overdue })
    })
    .await?;
    Ok(web::Json(out))
}

/// A fixed contact's full phone number (its deputy, or congress staff in scope); every read is
/// audited.
#[utoipa::path(tag = "contacts", params(("id" = i64, Path)), responses((status = 200, body = FixedContactPhone), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/fixed-contacts/{id}/phone")]
pub async fn phone(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<FixedContactPhone>> {
    let (id, now, pii) = (id.into_inner(), state.now(), state.pii.clone());
    let v = db::tx(&state.db, move |c| {
        let (row, _) = access::open(c, &p, id)?;
        let phone = pii.open(field::FIXED_CONTACT_PHONE, &row.phone_sealed)?;
        crate::audit::Entry::by(&p, "fixed_contact.phone_read", "fixed_contact", id.to_string())
            .region(Some(row.region_path))
            .write(c, now)?;
        Ok(FixedContactPhone { id, phone })
    })
    .await?;
    Ok(web::Json(v))
}
