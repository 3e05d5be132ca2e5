//! Routes: a congress's open-data choice (admins in scope), off until they turn it on.

use super::model::{OpenDataSetting, OpenDataUpdate};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, ReadErrors, WriteErrors};
use crate::ledger::store::open as store;
use crate::state::AppState;
use actix_web::{get, put, web};

/// Congress staff decide what their congress publishes.
fn admins_only(p: &Principal) -> AppResult<()> {
    if p.role == crate::auth::Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden(crate::error::Code::Forbidden, "congress staff decide what is published"))
    }
}

fn setting(c: &mut AnyConnection, p: &Principal, region: i64, action: Action) -> AppResult<OpenDataSetting> {
    let path = crate::org::region_path(c, region)?.ok_or_else(AppError::not_found)?;
    policy::authorize(p, action, &Target::new(Kind::Region, path))?;
    let (publish, at) = store::get(c, region)?.map_or((false, None), |(p, at)| (p, Some(db::utc(at))));
    Ok(OpenDataSetting { region_id: region, publish, updated_at: at })
}

/// Whether a congress publishes its duty data (staff in scope).
#[utoipa::path(tag = "ledger", params(("region_id" = i64, Path)), responses((status = 200, body = OpenDataSetting), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/open-data/{region_id}")]
pub async fn get_setting(
    state: web::Data<AppState>,
    p: Principal,
    region: web::Path<i64>,
) -> AppResult<web::Json<OpenDataSetting>> {
    admins_only(&p)?;
    let region = region.into_inner();
    Ok(web::Json(db::read(&state.db, move |c| setting(c, &p, region, Action::Read)).await?))
}

/// Publish a congress's ranking snapshots (亮分) and its deputies' yearly summaries without
/// sign-in, or stop (admins in scope).
#[utoipa::path(tag = "ledger", params(("region_id" = i64, Path)), request_body = OpenDataUpdate, responses((status = 200, body = OpenDataSetting), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/open-data/{region_id}")]
pub async fn put_setting(
    state: web::Data<AppState>,
    p: Principal,
    region: web::Path<i64>,
    body: web::Json<OpenDataUpdate>,
) -> AppResult<web::Json<OpenDataSetting>> {
    admins_only(&p)?;
    let (region, publish, now) = (region.into_inner(), body.publish, state.now());
    let v = db::tx(&state.db, move |c| {
        setting(c, &p, region, Action::Write)?;
        store::set(c, region, publish, p.account_id, now)?;
        Entry::by(&p, "open_data.set", "region", region.to_string())
            .detail(if publish { "publish" } else { "withdraw" })
            .write(c, now)?;
        setting(c, &p, region, Action::Write)
    })
    .await?;
    Ok(web::Json(v))
}
