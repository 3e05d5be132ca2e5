//! Account management for admins: create accounts of every role inside their scope, list and
//! read them. Client accounts get a generated secret shown once.

use crate::audit::Entry;
use crate::auth::model::{AccountCreate, AccountCreated, AccountView};
use crate::auth::policy::{self, CLIENT_SCOPES};
use crate::auth::store::{self, AccountRow, NewAccount};
use crate::auth::{password, rules, Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::http::{page, Page, PageQuery};
use crate::org;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};

fn to_view(conn: &mut AnyConnection, a: AccountRow) -> AppResult<AccountView> {
    let region = match a.region_id {
        Some(r) => org::region_ref(conn, r)?,
        None => None,
    };
    Ok(AccountView {
        station_ids: store::stations_of(conn, a.id)?,
        id: a.id,
        role: Role::parse(&a.role).unwrap_or(Role::Constituent),
        username: a.username,
        display_name: a.display_name,
        region,
        deputy_id: a.deputy_id,
        unit_id: a.unit_id,
        scopes: a.scopes.split_whitespace().map(str::to_string).collect(),
        disabled: a.disabled,
    })
}

pub async fn view(state: &AppState, id: i64) -> AppResult<AccountView> {
    db::read(&state.db, move |c| {
        let a = store::by_id(c, id)?.ok_or_else(AppError::not_found)?;
        to_view(c, a)
    })
    .await
}

fn validate(b: &AccountCreate) -> Vec<FieldError> {
    let mut errs = vec![];
    let u = b.username.trim();
    if u.len() < 3 || u.len() > 64 || !u.chars().all(|c| c.is_ascii_alphanumeric() || "._@+-".contains(c)) {
        errs.push(FieldError::new("username", "invalid_username", "3–64 characters: letters, digits and . _ @ + -"));
    }
    if b.display_name.trim().is_empty() {
        errs.push(FieldError::new("display_name", "required", "must not be empty"));
    }
    match (&b.role, &b.password) {
        (Role::Client, _) => {}
        (_, Some(p)) if p.chars().count() >= 8 => {}
        _ => errs.push(FieldError::new("password", "weak_password", "at least 8 characters")),
    }
    match b.role {
        Role::Deputy if b.deputy_id.is_none() => {
            errs.push(FieldError::new("deputy_id", "required", "deputy accounts name their deputy"))
        }
        Role::Unit if b.unit_id.is_none() => {
            errs.push(FieldError::new("unit_id", "required", "unit accounts name their handling unit"))
        }
        Role::StationStaff if b.station_ids.is_empty() => {
            errs.push(FieldError::new("station_ids", "required", "station staff serve at least one station"))
        }
        _ => {}
    }
    if b.role == Role::Client {
        if let Some(s) = b.scopes.iter().find(|s| !CLIENT_SCOPES.contains(&s.as_str())) {
            errs.push(FieldError::new("scopes", "unknown_scope", format!("unknown scope `{s}`")));
        }
    } else if !b.scopes.is_empty() {
        errs.push(FieldError::new("scopes", "not_allowed", "only client accounts carry scopes"));
    }
    errs
}

/// Create an account (admins, inside their region).
#[utoipa::path(
    tag = "accounts",
    request_body = AccountCreate,
    responses(
        (status = 201, body = AccountCreated),
        (status = 400, body = Problem, content_type = "application/problem+json"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, description = "region, station, deputy or unit missing or out of scope"),
        (status = 409, body = Problem, description = "`already_exists`: the username is taken"),
        (status = 422, body = Problem, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
#[post("/api/v1/accounts")]
pub async fn create(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<AccountCreate>,
) -> AppResult<HttpResponse> {
    let b = body.into_inner();
    policy::role_allows(&p, policy::Action::Write, policy::Kind::Account)?;
    let errs = validate(&b);
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let secret = match (b.role, &b.password) {
        (Role::Client, None) => rules::new_opaque_token(),
        (_, Some(pw)) => pw.clone(),
        (_, None) => return Err(AppError::invalid_field("password", "required", "password is required")),
    };
    let show_secret = (b.role == Role::Client && b.password.is_none()).then(|| secret.clone());
    let m = state.settings.argon2_m_cost_kib;
    let hash = web::block(move || password::hash(&secret, m)).await?.map_err(AppError::internal)?;
    let now = state.now();
    let view = db::tx(&state.db, move |c| {
        // The account's region: given, or the first station's.
        let region_id = match (b.region_id, b.station_ids.first()) {
            (Some(r), _) => Some(r),
            (None, Some(s)) if b.role == Role::StationStaff => {
                Some(org::station_region(c, *s)?.ok_or_else(AppError::not_found)?.0)
            }
            _ => None,
        };
        let path = match region_id {
            Some(r) => Some(org::region_path(c, r)?.ok_or_else(AppError::not_found)?),
            None => None,
        };
        // A deputy's account is scoped by the deputy's seats (checked below), not by a region.
        if !(b.role == Role::Deputy && path.is_none()) {
            policy::may_manage_account(&p, path.as_deref())?;
        }
        for s in &b.station_ids {
            let (_, sp) = org::station_region(c, *s)?.ok_or_else(AppError::not_found)?;
            policy::may_manage_account(&p, Some(&sp))?;
        }
        if let Some(d) = b.deputy_id {
            let paths = org::deputy_region_paths(c, d)?.ok_or_else(AppError::not_found)?;
            if !paths.iter().any(|dp| policy::may_manage_account(&p, Some(dp)).is_ok()) {
                return Err(AppError::not_found());
            }
        }
        if let Some(u) = b.unit_id {
            let up = org::unit_region_path(c, u)?.ok_or_else(AppError::not_found)?;
            policy::may_manage_account(&p, Some(&up))?;
        }
        let scopes = b.scopes.join(" ");
        let new = NewAccount {
            username: b.username.trim(),
            password_hash: &hash,
            role: b.role.as_str(),
            region_id,
            deputy_id: b.deputy_id,
            unit_id: b.unit_id,
            display_name: b.display_name.trim(),
            scopes: &scopes,
            created_at: now,
            updated_at: now,
        };
        let id = store::insert_account(c, &new, &b.station_ids)?;
        Entry::by(&p, "account.create", "account", id.to_string())
            .region(path)
            .detail(format!("role={}", b.role.as_str()))
            .write(c, now)?;
        let row = store::by_id(c, id)?.ok_or_else(AppError::not_found)?;
        to_view(c, row)
    })
    .await?;
    Ok(HttpResponse::Created().json(AccountCreated { account: view, client_secret: show_secret }))
}

/// List accounts (admins, inside their region).
#[utoipa::path(
    tag = "accounts",
    params(PageQuery),
    responses((status = 200, body = Page<AccountView>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
#[get("/api/v1/accounts")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<AccountView>>> {
    policy::role_allows(&p, policy::Action::Read, policy::Kind::Account)?;
    let (limit, after) = (pq.limit()?, pq.after()?);
    let scope = p.region_path.clone();
    let items = db::run(&state.db, move |c| {
        let ids = match &scope {
            Some(path) => Some(org::region_ids_in(c, path)?),
            None => None,
        };
        let rows = store::list(c, ids.as_deref(), after, limit + 1)?;
        let mut out = vec![];
        for r in rows {
            out.push(to_view(c, r)?);
        }
        Ok(out)
    })
    .await?;
    Ok(web::Json(page(items, limit, |a| a.id, |a| a)))
}

/// Read one account (admins, inside their region).
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path, description = "account id")),
    responses((status = 200, body = AccountView), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = []))
)]
#[get("/api/v1/accounts/{id}")]
pub async fn get_one(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<AccountView>> {
    policy::role_allows(&p, policy::Action::Read, policy::Kind::Account)?;
    let id = id.into_inner();
    let v = db::run(&state.db, move |c| {
        let a = store::by_id(c, id)?.ok_or_else(AppError::not_found)?;
        let path = match a.region_id {
            Some(r) => org::region_path(c, r)?,
            None => None,
        };
        policy::may_manage_account(&p, path.as_deref()).map_err(|_| AppError::not_found())?;
        to_view(c, a)
    })
    .await?;
    Ok(web::Json(v))
}
