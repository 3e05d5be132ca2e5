//! Client management for admins: rotate a third-party client's secret (the old one keeps
//! working for an overlap, so the client can switch without an outage) and disable or enable
//! an account.

use crate::audit::Entry;
use crate::auth::model::{AccountView, ClientSecret, RotateSecret};
use crate::auth::store::{self, clients};
use crate::auth::{password, policy, rules, Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, WriteErrors};
use crate::org;
use crate::state::AppState;
use actix_web::{post, web};

/// The account, when the admin manages it (404 otherwise).
fn managed(c: &mut AnyConnection, p: &Principal, id: i64) -> AppResult<(store::AccountRow, Option<String>)> {
    let a = store::by_id(c, id)?.ok_or_else(AppError::not_found)?;
    let path = match a.region_id {
        Some(r) => org::region_path(c, r)?,
        None => None,
    };
    policy::may_manage_account(p, path.as_deref()).map_err(|_| AppError::not_found())?;
    Ok((a, path))
}

/// Rotate a client's secret: the new one is shown once; the old one works for
/// `overlap_hours` more (default 24, at most 168; 0 ends it at once) (admins).
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path, description = "account id")),
    request_body = RotateSecret,
    responses((status = 200, body = ClientSecret), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/accounts/{id}/rotate-secret")]
pub async fn rotate(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<RotateSecret>,
) -> AppResult<web::Json<ClientSecret>> {
    policy::role_allows(&p, policy::Action::Write, policy::Kind::Account)?;
    let hours = body.overlap_hours.unwrap_or(24);
    if !(0..=168).contains(&hours) {
        return Err(AppError::invalid_field("overlap_hours", "out_of_range", "0–168 hours"));
    }
    let id = id.into_inner();
    let secret = rules::new_opaque_token();
    let (s2, m) = (secret.clone(), state.settings.argon2_m_cost_kib);
    let hash = web::block(move || password::hash(&s2, m)).await?.map_err(AppError::internal)?;
    let now = state.now();
    let until = (hours > 0).then(|| now + chrono::Duration::hours(hours));
    db::tx(&state.db, move |c| {
        let (a, path) = managed(c, &p, id)?;
        if Role::parse(&a.role) != Some(Role::Client) {
            return Err(AppError::invalid_field("id", "not_a_client", "only client secrets are rotated here"));
        }
        clients::rotate(c, id, &hash, until, now)?;
        Entry::by(&p, "account.rotate_secret", "account", id.to_string())
            .region(path)
            .detail(format!("overlap={hours}h"))
            .write(c, now)
    })
    .await?;
    Ok(web::Json(ClientSecret { client_secret: secret, previous_valid_until: until.map(db::utc) }))
}

async fn switch(state: &AppState, p: Principal, id: i64, disabled: bool) -> AppResult<AccountView> {
    policy::role_allows(&p, policy::Action::Write, policy::Kind::Account)?;
    if p.account_id == id {
        return Err(AppError::invalid_field("id", "own_account", "you may not disable your own account"));
    }
    let now = state.now();
    db::tx(&state.db, move |c| {
        let (_, path) = managed(c, &p, id)?;
        clients::set_disabled(c, id, disabled, now)?;
        let action = if disabled { "account.disable" } else { "account.enable" };
        Entry::by(&p, action, "account", id.to_string()).region(path).write(c, now)
    })
    .await?;
    super::accounts::view(state, id).await
}

/// Disable an account: it signs in no more (a client's tokens end within their 15 minutes) (admins).
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path, description = "account id")),
    responses((status = 200, body = AccountView), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/accounts/{id}/disable")]
pub async fn disable(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<AccountView>> {
    Ok(web::Json(switch(&state, p, id.into_inner(), true).await?))
}

/// Enable a disabled account again (admins).
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path, description = "account id")),
    responses((status = 200, body = AccountView), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/accounts/{id}/enable")]
pub async fn enable(state: web::Data<AppState>, p: Principal, id: web::Path<i64>) -> AppResult<web::Json<AccountView>> {
    Ok(web::Json(switch(&state, p, id.into_inner(), false).await?))
}
