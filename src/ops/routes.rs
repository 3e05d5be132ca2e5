//! `/healthz`, `/readyz`, `/metrics`, the load-test ceiling route, and the 404 fallback.

use crate::db;
use crate::error::{AppError, AppResult, Code, Problem};
use crate::platform::route_table::RouteTable;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

/// Liveness: the process is up.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok".into() })
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    pub status: String,
    pub database: String,
    /// `memory` when no Redis is configured.
    pub cache: String,
}

/// Readiness: the database and (when configured) Redis answer; 503 names the failed dependency.
#[utoipa::path(tag = "operations", responses((status = 200, body = Readiness), (status = 503, body = Problem, description = "`dependency_unavailable`")))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> AppResult<web::Json<Readiness>> {
    let db_ok = tokio::time::timeout(std::time::Duration::from_secs(3), db::run(&state.db, db::ping)).await;
    if !matches!(db_ok, Ok(Ok(_))) {
        return Err(AppError::unavailable(Code::DependencyUnavailable, "database is not reachable"));
    }
    let cache_ok = tokio::time::timeout(std::time::Duration::from_secs(3), state.cache.ping()).await;
    if !matches!(cache_ok, Ok(Ok(_))) {
        return Err(AppError::unavailable(Code::DependencyUnavailable, "redis is not reachable"));
    }
    Ok(web::Json(Readiness {
        status: "ready".into(),
        database: if state.settings.database_url.is_postgres() { "postgres" } else { "sqlite" }.into(),
        cache: state.cache.backend().into(),
    }))
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(tag = "operations", responses((status = 200, content_type = "text/plain", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(state.metrics.render(&state.db, &state.views))
}

/// Load-test ceiling: a constant JSON answer. 404 unless `LVZHI_BENCH_HELLO=true`.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/bench/hello")]
pub async fn hello(state: web::Data<AppState>) -> AppResult<web::Json<Health>> {
    if !state.settings.bench_hello {
        return Err(AppError::not_found());
    }
    Ok(web::Json(Health { status: "hello".into() }))
}

/// Every unknown route answers a 404 problem.
pub async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&AppError::new(Code::NotFound, "no such route"))
}

/// `/docs` → `/docs/` (Swagger UI lives under the slash).
#[get("/docs")]
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header(("Location", "/docs/")).finish()
}

/// Registers the operations routes (health, readiness, metrics, the bench's hello).
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(healthz).add(readyz).add(metrics).add(hello);
}
