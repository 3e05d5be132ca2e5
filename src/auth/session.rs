//! Sign-in flows: password check with lockout, session (refresh family) creation, refresh
//! rotation with reuse detection, logout, and the client-credentials grant.

use super::jwt::{self, AccessClaims};
use super::model::TokenResponse;
use super::password;
use super::principal::{Principal, RequestMeta, Role};
use super::rules::{self, RefreshDecision};
use super::store::{self, AccountRow};
use crate::audit::Entry;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code};
use crate::platform::pii::field;
use crate::state::AppState;
use chrono::{Duration, NaiveDateTime};

fn invalid_refresh() -> AppError {
    AppError::unauthorized("the refresh token is invalid, expired or revoked").with_code(Code::InvalidRefreshToken)
}

/// Checks a username and password (or client id and secret) with throttling and audit. Wrong
/// passwords are counted per (name, address): past [`rules::MAX_FAILED_LOGINS`] in a window
/// that pair gets 429 until the window ends — the same for names that exist and names that do
/// not, and never for the account's owner signing in from elsewhere.
pub async fn authenticate(
    state: &AppState,
    meta: &RequestMeta,
    username: String,
    secret: String,
) -> AppResult<AccountRow> {
    let now = state.now();
    let (key, left) =
        rules::throttle_key(&username, meta.ip.as_deref().unwrap_or("unknown"), state.clock.now().timestamp());
    let fail = |account: Option<i64>, outcome: &'static str| {
        Entry::anonymous(
            "auth.login",
            "account",
            account.map(|i| i.to_string()).unwrap_or_else(|| username.clone()),
            meta,
        )
        .outcome(outcome)
    };
    let failures = state.cache.get(&key).await.ok().flatten().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    let u = username.clone();
    let acct = db::run(&state.db, move |c| store::by_username(c, &u)).await?;
    if failures >= rules::MAX_FAILED_LOGINS {
        let e = fail(acct.as_ref().map(|a| a.id), "throttled");
        db::run(&state.db, move |c| e.write(c, now)).await?;
        return Err(AppError::too_many_requests(left));
    }
    // Unknown names cost the same hashing as known ones.
    let (id, hash) = match &acct {
        Some(a) => (Some(a.id), a.password_hash.clone()),
        None => (None, state.dummy_hash.as_str().to_string()),
    };
    let again = secret.clone();
    let mut ok = actix_web::web::block(move || password::verify(&secret, &hash)).await?;
    // A client's previous secret still signs in during the overlap after a rotation.
    if let (false, Some(a)) = (ok, acct.as_ref().filter(|a| a.role == "client")) {
        let id = a.id;
        if let Some(h) = db::run(&state.db, move |c| store::clients::previous(c, id, now)).await? {
            ok = actix_web::web::block(move || password::verify(&again, &h)).await?;
        }
    }
    let Some(acct) = acct.filter(|_| ok) else {
        if let Err(e) = state.cache.incr(&key, std::time::Duration::from_secs(left + 1)).await {
            tracing::warn!(error = %e, "a failed sign-in was not counted: the cache is unreachable");
        }
        let e = fail(id, "failure");
        db::run(&state.db, move |c| e.write(c, now)).await?;
        return Err(AppError::invalid_credentials());
    };
    if acct.disabled {
        return Err(AppError::forbidden(Code::AccountDisabled, "this account is disabled"));
    }
    Ok(acct)
}

/// Builds access-token claims for an account (scope region path and stations included).
fn claims(
    state: &AppState,
    conn: &mut AnyConnection,
    acct: &AccountRow,
    sid: &str,
    scope: Option<String>,
    now: NaiveDateTime,
) -> AppResult<AccessClaims> {
    let rp = match acct.region_id {
        Some(r) => crate::org::region_path(conn, r)?,
        None => None,
    };
    let s = &state.settings;
    Ok(AccessClaims {
        iss: s.jwt_issuer.clone(),
        aud: s.jwt_audience.clone(),
        sub: acct.id.to_string(),
        iat: now.and_utc().timestamp(),
        exp: now.and_utc().timestamp() + s.access_ttl_secs,
        jti: uuid::Uuid::new_v4().to_string(),
        typ: jwt::ACCESS.into(),
        role: acct.role.clone(),
        rgn: acct.region_id,
        rp,
        nbf: None,
        stn: store::stations_of(conn, acct.id)?,
        dep: acct.deputy_id,
        unit: acct.unit_id,
        scope,
        sid: Some(sid.to_string()),
    })
}

fn token_response(state: &AppState, c: &AccessClaims, refresh: Option<String>) -> AppResult<TokenResponse> {
    let access_token = jwt::sign(&state.keys, c).map_err(AppError::internal)?;
    state.tokens.issued(&access_token, c);
    Ok(TokenResponse {
        access_token,
        refresh_token: refresh,
        token_type: "Bearer".into(),
        expires_in: state.settings.access_ttl_secs,
        scope: c.scope.clone(),
    })
}

/// Opens a new session (refresh family) for a signed-in account.
pub async fn open(state: &AppState, meta: &RequestMeta, acct: AccountRow) -> AppResult<TokenResponse> {
    let now = state.now();
    let st = state.clone();
    let audit = Entry::anonymous("auth.login", "account", acct.id.to_string(), meta).actor(acct.id, &acct.role);
    db::tx(&state.db, move |c| {
        let family = uuid::Uuid::new_v4().to_string();
        let refresh = rules::new_opaque_token();
        store::insert_refresh(
            c,
            acct.id,
            &family,
            &rules::hash_token(&refresh),
            now,
            now + Duration::seconds(st.settings.refresh_ttl_secs),
        )?;
        audit.write(c, now)?;
        let cl = claims(&st, c, &acct, &family, None, now)?;
        token_response(&st, &cl, Some(refresh))
    })
    .await
}

enum Refreshed {
    Tokens(TokenResponse),
    Reused(String),
}

/// Rotates a refresh token; an old token coming back revokes its whole family.
pub async fn refresh(state: &AppState, meta: &RequestMeta, presented: String) -> AppResult<TokenResponse> {
    let now = state.now();
    let st = state.clone();
    let meta2 = meta.clone();
    let out = db::tx(&state.db, move |c| {
        let row = store::refresh_by_hash(c, &rules::hash_token(&presented))?.ok_or_else(invalid_refresh)?;
        let successor_used = match row.replaced_by {
            Some(id) => store::refresh_by_id(c, id)?
                .is_none_or(|s| s.used_at.is_some() || s.revoked_at.is_some() && s.used_at.is_some()),
            None => false,
        };
        let state_ =
            rules::RefreshState { expires_at: row.expires_at, used_at: row.used_at, revoked_at: row.revoked_at };
        let decision = rules::decide_refresh(&state_, successor_used, now);
        match decision {
            RefreshDecision::Expired | RefreshDecision::Revoked => return Err(invalid_refresh()),
            RefreshDecision::Reuse => {
                store::revoke_family(c, &row.family, now)?;
                Entry::anonymous("auth.refresh_reuse", "account", row.account_id.to_string(), &meta2)
                    .outcome("revoked")
                    .write(c, now)?;
                return Ok(Refreshed::Reused(row.family));
            }
            RefreshDecision::Rotate | RefreshDecision::Retry => {}
        }
        let acct = store::by_id(c, row.account_id)?.ok_or_else(invalid_refresh)?;
        if acct.disabled {
            return Err(AppError::forbidden(Code::AccountDisabled, "this account is disabled"));
        }
        if decision == RefreshDecision::Retry {
            // A retry (the answer was lost on the way) gets the first answer again, never a third
            // token; without it to give, the two presenters diverge and the session ends.
            let replay = row.replay.as_deref().and_then(|sealed| st.pii.open(field::REFRESH_REPLAY, sealed).ok());
            return match replay.and_then(|json| serde_json::from_str::<TokenResponse>(&json).ok()) {
                Some(first) => Ok(Refreshed::Tokens(first)),
                None => {
                    store::revoke_family(c, &row.family, now)?;
                    Entry::anonymous("auth.refresh_reuse", "account", row.account_id.to_string(), &meta2)
                        .outcome("revoked")
                        .write(c, now)?;
                    Ok(Refreshed::Reused(row.family))
                }
            };
        }
        let fresh = rules::new_opaque_token();
        let expires = now + Duration::seconds(st.settings.refresh_ttl_secs);
        let new_id = store::insert_refresh(c, acct.id, &row.family, &rules::hash_token(&fresh), now, expires)?;
        let cl = claims(&st, c, &acct, &row.family, None, now)?;
        let answer = token_response(&st, &cl, Some(fresh))?;
        let sealed = st.pii.seal(field::REFRESH_REPLAY, &serde_json::to_string(&answer).map_err(AppError::internal)?);
        if !store::mark_used(c, row.id, now, new_id, &sealed)? {
            // Another request rotated it between our read and write: treat as a retry race.
            return Err(invalid_refresh());
        }
        // This token's use ends its predecessor's retry window.
        store::forget_replay_of_predecessor(c, row.id)?;
        Ok(Refreshed::Tokens(answer))
    })
    .await?;
    match out {
        Refreshed::Tokens(t) => Ok(t),
        Refreshed::Reused(family) => {
            super::revocations::announce(state, &family).await;
            Err(AppError::unauthorized("this refresh token was already used; the session has been revoked")
                .with_code(Code::RefreshTokenReused))
        }
    }
}

/// Ends the caller's session: the refresh family is revoked and its access tokens refused.
pub async fn logout(state: &AppState, p: &Principal) -> AppResult<()> {
    let now = state.now();
    if let Some(sid) = p.sid.clone() {
        let audit = Entry::by(p, "auth.logout", "account", p.account_id.to_string());
        let s = sid.clone();
        let account = p.account_id;
        db::tx(&state.db, move |c| {
            store::revoke_family(c, &s, now)?;
            // The phone that logs out gets no more pushes for this account.
            crate::push::forget_account(c, account)?;
            audit.write(c, now)
        })
        .await?;
        // The database has it; now this instance and, over the bus, the others.
        super::revocations::announce(state, &sid).await;
    }
    Ok(())
}

/// OAuth 2.0 client-credentials grant for third-party `client` accounts.
pub async fn client_token(
    state: &AppState,
    meta: &RequestMeta,
    id: String,
    secret: String,
    scope: Option<String>,
) -> AppResult<TokenResponse> {
    let acct = authenticate(state, meta, id, secret).await.map_err(|e| match e.code {
        Code::InvalidCredentials => {
            AppError::unauthorized("unknown client or wrong secret").with_code(Code::InvalidClient)
        }
        _ => e,
    })?;
    if Role::parse(&acct.role) != Some(Role::Client) {
        return Err(AppError::unauthorized("unknown client or wrong secret").with_code(Code::InvalidClient));
    }
    let held: Vec<&str> = acct.scopes.split_whitespace().collect();
    let granted = match scope.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => held.join(" "),
        Some(req) => {
            if let Some(bad) = req.split_whitespace().find(|s| !held.contains(s)) {
                return Err(AppError::bad_request(
                    Code::InvalidScope,
                    format!("the client does not hold the scope `{bad}`"),
                ));
            }
            req.split_whitespace().collect::<Vec<_>>().join(" ")
        }
    };
    let now = state.now();
    let st = state.clone();
    let audit = Entry::anonymous("auth.client_token", "account", acct.id.to_string(), meta).actor(acct.id, &acct.role);
    db::run(&state.db, move |c| {
        audit.write(c, now)?;
        let cl = claims(&st, c, &acct, &uuid::Uuid::new_v4().to_string(), Some(granted), now)?;
        token_response(&st, &cl, None)
    })
    .await
}
