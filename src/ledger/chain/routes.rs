//! Chain routes: recompute every chain, and the published digests of the chain heads checked
//! against the ledger now (admins).

use super::heads::{heads_digest, HeadPublication};
use super::verify::{self as chains, Verification};
use crate::auth::{Principal, Role};
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::ledger::store::published as store;
use crate::state::AppState;
use actix_web::{get, web};

/// Recompute every hash chain; names the first broken entry (admins).
#[utoipa::path(tag = "ledger", responses((status = 200, body = Verification), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/ledger/verify")]
pub async fn verify(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Verification>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff verify the ledger"));
    }
    Ok(web::Json(db::run(&state.db, chains::verify).await?))
}

/// The published digests of the chain heads, newest first, each checked against the ledger now
/// (admins).
#[utoipa::path(tag = "ledger", responses((status = 200, body = Vec<HeadPublication>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/ledger/heads")]
pub async fn published_heads(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Vec<HeadPublication>>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff verify the ledger"));
    }
    let out = db::run(&state.db, |c| {
        let rows = store::heads_publications(c)?;
        rows.into_iter()
            .map(|(day, heads, upto, digest, at)| {
                let now = heads_digest(c, upto)?.1;
                Ok(HeadPublication {
                    day,
                    heads,
                    entries_upto: upto,
                    still_matches: Some(now == digest),
                    digest,
                    published_at: utc(at),
                })
            })
            .collect()
    })
    .await?;
    Ok(web::Json(out))
}
