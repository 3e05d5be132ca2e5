//! Routes: a deputy's own fixed contacts — added with the person's consent, listed with when
//! each is due, ended.

use super::access;
use crate::auth::Principal;
use crate::contacts::model::{FixedContactCreate, FixedContactView};
use crate::contacts::rules::{self, CONSENT, MAX_CONTACTS};
use crate::contacts::store::{self, NewContact};
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::platform::pii::field;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};

/// Add a fixed contact (deputies; 422 without the person's consent; the phone is sealed).
#[utoipa::path(tag = "contacts", request_body = FixedContactCreate, responses((status = 201, body = FixedContactView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/me/fixed-contacts")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<FixedContactCreate>,
) -> AppResult<HttpResponse> {
    let me = access::me(&p)?;
    let b = body.into_inner();
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let mut errs = rules::check_contact(&b.name, &b.community, b.every_days);
    let phone = crate::org::rules::normalize_phone(&b.phone);
    if phone.is_none() {
        errs.push(FieldError::new("phone", "invalid_value", "a mainland mobile number"));
    }
    match &b.consent {
        None => errs.push(FieldError::new("consent", "consent_required", "the person's consent is required")),
        Some(k) => {
            if let Err(code) = rules::check_date(&k.given_on, today, None) {
                errs.push(FieldError::new("consent.given_on", code, "a date YYYY-MM-DD, not in the future"));
            }
            if !CONSENT.contains(&k.how.as_str()) {
                errs.push(FieldError::new("consent.how", "invalid_value", "written, verbal or sms"));
            }
        }
    }
    let (Some(phone), Some(consent), true) = (phone, b.consent, errs.is_empty()) else {
        return Err(AppError::validation(errs));
    };
    let (now, pii) = (state.now(), state.pii.clone());
    let v = db::tx(&state.db, move |c| {
        if store::count_active(c, me)? >= MAX_CONTACTS {
            return Err(AppError::conflict(Code::LimitReached, "at most 200 active fixed contacts"));
        }
        let seats = crate::org::deputy_region_paths(c, me)?.unwrap_or_default();
        let path = seats.first().ok_or_else(|| AppError::forbidden(Code::Forbidden, "the deputy has no seat"))?;
        let sealed = pii.seal(field::FIXED_CONTACT_PHONE, &phone);
        let n = NewContact {
            deputy: me,
            region_path: path,
            name: b.name.trim(),
            phone_sealed: &sealed,
            community: b.community.trim(),
            every_days: b.every_days,
            consent: (&consent.given_on, &consent.how),
        };
        let id = store::insert(c, &n, now)?;
        crate::audit::Entry::by(&p, "fixed_contact.create", "fixed_contact", id.to_string())
            .region(Some(path.clone()))
            .write(c, now)?;
        access::view(store::get(c, id)?.ok_or_else(AppError::not_found)?, &pii, today)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// The calling deputy's fixed contacts, with when each is due and which are overdue.
#[utoipa::path(tag = "contacts", responses((status = 200, body = Vec<FixedContactView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/fixed-contacts")]
pub async fn list(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<FixedContactView>>> {
    let me = access::me(&p)?;
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let pii = state.pii.clone();
    let out = db::run(&state.db, move |c| {
        store::of_deputy(c, me)?.into_iter().map(|r| access::view(r, &pii, today)).collect::<AppResult<Vec<_>>>()
    })
    .await?;
    Ok(web::Json(out))
}

/// End a fixed contact (its deputy; 409 `illegal_transition` when ended already).
#[utoipa::path(tag = "contacts", params(("id" = i64, Path)), responses((status = 200, body = FixedContactView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/fixed-contacts/{id}/end")]
pub async fn end(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<FixedContactView>> {
    let (id, now, pii) = (id.into_inner(), state.now(), state.pii.clone());
    let today = state.clock.now().with_timezone(&state.settings.tz).date_naive();
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id)?;
        if stand != access::Stand::Owner {
            return Err(AppError::forbidden(Code::Forbidden, "the deputy keeps their fixed contacts"));
        }
        if !store::end(c, id)? {
            return Err(AppError::conflict(Code::IllegalTransition, "the contact has ended"));
        }
        crate::audit::Entry::by(&p, "fixed_contact.end", "fixed_contact", id.to_string())
            .region(Some(row.region_path))
            .write(c, now)?;
        access::view(store::get(c, id)?.ok_or_else(AppError::not_found)?, &pii, today)
    })
    .await?;
    Ok(web::Json(v))
}
