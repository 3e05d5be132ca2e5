//! What a case shows in public: staff approve a title and an answer that people who follow the
//! case (not the person who filed it) may read. Nothing else of a case ever reaches a follower.

use crate::auth::Principal;
use crate::error::{AppResult, FieldError, WriteErrors};
use crate::reception::cases::case::{self, Access, CaseView};
use crate::reception::store::opinions as store;
use crate::state::AppState;
use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// A title without personal details, at most 60 characters (followers see it).
    pub title: String,
    /// The public answer, at most 2,000 characters (followers see it once given).
    pub answer: Option<String>,
}

/// Checks a publication: the trimmed title and answer, or the problems found.
pub fn check(b: &Publication) -> Result<(String, Option<String>), Vec<FieldError>> {
    let mut errs: Vec<FieldError> = crate::org::rules::required_text("title", &b.title, 60).into_iter().collect();
    let answer = b.answer.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string);
    if answer.as_deref().is_some_and(|a| a.chars().count() > 2000) {
        errs.push(FieldError::new("answer", "too_long", "at most 2000 characters"));
    }
    if errs.is_empty() {
        Ok((b.title.trim().to_string(), answer))
    } else {
        Err(errs)
    }
}

/// Approve what followers of the case see: a public title and, once there is one, the public
/// answer (staff handling the case).
#[utoipa::path(tag = "reception", params(("ticket" = String, Path)), request_body = Publication, responses((status = 200, body = CaseView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/opinions/{ticket}/publication")]
pub async fn publish(
    state: web::Data<AppState>,
    p: Principal,
    ticket: web::Path<String>,
    body: web::Json<Publication>,
) -> AppResult<web::Json<CaseView>> {
    let (title, answer) = check(&body).map_err(crate::error::AppError::validation)?;
    case::act(&state, p, ticket.into_inner(), Access::Staff, move |c, p, o, now| {
        store::set_publication(c, o.id, &title, answer.as_deref(), now)?;
        crate::audit::Entry::by(p, "opinion.publish", "opinion", o.ticket.clone())
            .region(Some(o.region_path.clone()))
            .write(c, now)?;
        Ok(vec![])
    })
    .await
}
