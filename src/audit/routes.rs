//! `GET /api/v1/audit`: the audit log for admins, limited to their scope.

use super::model::AuditView;
use super::store::{self, Filter};
use crate::auth::policy::{self, Kind};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppResult, Problem};
use crate::http::{page, Page, PageQuery};
use crate::platform::route_table::RouteTable;
use crate::state::AppState;
use actix_web::{get, web};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// e.g. `deputy.update`, `deputy.read_phone`, `auth.login`.
    pub action: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub actor_id: Option<i64>,
}

/// List audit records, newest first (admins, within their region).
#[utoipa::path(
    tag = "audit",
    params(AuditQuery, PageQuery),
    responses(
        (status = 200, body = Page<AuditView>),
        (status = 401, body = Problem, description = "missing or invalid token"),
        (status = 403, body = Problem, description = "role or scope may not read the audit log"),
        (status = 422, body = Problem, description = "bad limit or cursor")
    ),
    security(("bearer" = []))
)]
#[get("/api/v1/audit")]
pub async fn list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<AuditQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<AuditView>>> {
    let scope = policy::list_filter(&p, Kind::Audit)?;
    let limit = pq.limit()?;
    let after = pq.after()?;
    let q = q.into_inner();
    let f = Filter {
        scope,
        action: q.action,
        record_type: q.record_type,
        record_id: q.record_id,
        actor_id: q.actor_id,
        before: (after > 0).then_some(after),
        limit,
    };
    let rows = db::run(&state.db, move |c| store::list(c, &f)).await?;
    Ok(web::Json(page(rows, limit, |r| r.id, |r| r)))
}

/// Registers the audit routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(list);
}
