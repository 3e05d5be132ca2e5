//! A deputy's own push settings: quiet hours (normal notices wait until they end; urgent ones
//! go through), or none, or the installation's default.

use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, Code, FieldError, ReadErrors, WriteErrors};
use crate::push::store;
use crate::state::AppState;
use actix_web::{get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PushSettings {
    /// Start of the quiet hours (HH:MM, congress time zone); null when there are none.
    pub quiet_from: Option<String>,
    pub quiet_to: Option<String>,
    /// True while the installation's default applies (the deputy chose nothing).
    pub is_default: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushSettingsUpdate {
    /// HH:MM; both null: no quiet hours at all.
    pub quiet_from: Option<String>,
    pub quiet_to: Option<String>,
    /// Back to the installation's default (the other fields are ignored).
    #[serde(default)]
    pub use_default: bool,
}

fn me(p: &Principal) -> AppResult<i64> {
    p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "push settings belong to deputies' accounts"))
}

fn view(own: store::OwnQuiet, default: Option<(chrono::NaiveTime, chrono::NaiveTime)>) -> PushSettings {
    let fmt = |q: Option<(chrono::NaiveTime, chrono::NaiveTime)>| {
        (q.map(|x| x.0.format("%H:%M").to_string()), q.map(|x| x.1.format("%H:%M").to_string()))
    };
    let ((f, t), is_default) = match own {
        None => (fmt(default), true),
        Some(q) => (fmt(q), false),
    };
    PushSettings { quiet_from: f, quiet_to: t, is_default }
}

/// My push settings (quiet hours).
#[utoipa::path(tag = "push", responses((status = 200, body = PushSettings), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/push-settings")]
pub async fn get_settings(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<PushSettings>> {
    let deputy = me(&p)?;
    let own = db::run(&state.db, move |c| store::quiet_hours_of(c, deputy)).await?;
    Ok(web::Json(view(own, state.settings.quiet_hours)))
}

/// Set my quiet hours (e.g. 22:30–06:30), none at all, or back to the default.
#[utoipa::path(tag = "push", request_body = PushSettingsUpdate, responses((status = 200, body = PushSettings), WriteErrors), security(("bearer" = [])))]
#[put("/api/v1/me/push-settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<PushSettingsUpdate>,
) -> AppResult<web::Json<PushSettings>> {
    let deputy = me(&p)?;
    let b = body.into_inner();
    let parse = |field: &str, v: &Option<String>| -> Result<Option<String>, FieldError> {
        match v {
            None => Ok(None),
            Some(s) => chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map(|t| Some(t.format("%H:%M").to_string()))
                .map_err(|_| FieldError::new(field, "invalid_time", "HH:MM, e.g. 22:30")),
        }
    };
    let (from, to) = (parse("quiet_from", &b.quiet_from), parse("quiet_to", &b.quiet_to));
    let choice = match (b.use_default, from, to) {
        (true, _, _) => None,
        (false, Ok(Some(f)), Ok(Some(t))) if f != t => Some(Some((f, t))),
        (false, Ok(None), Ok(None)) => Some(None),
        (false, f, t) => {
            let mut errs: Vec<FieldError> = [f.err(), t.err()].into_iter().flatten().collect();
            if errs.is_empty() {
                errs.push(FieldError::new(
                    "quiet_to",
                    "invalid_range",
                    "give both ends (different), or neither for no quiet hours",
                ));
            }
            return Err(AppError::validation(errs));
        }
    };
    let now = state.now();
    let own = db::tx(&state.db, move |c| {
        match &choice {
            None => store::clear_quiet_hours(c, deputy)?,
            Some(q) => store::set_quiet_hours(c, deputy, q.as_ref().map(|(f, t)| (f.as_str(), t.as_str())), now)?,
        }
        store::quiet_hours_of(c, deputy)
    })
    .await?;
    Ok(web::Json(view(own, state.settings.quiet_hours)))
}
