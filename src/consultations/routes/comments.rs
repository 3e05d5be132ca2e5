//! Routes: comments on a consultation's articles — from deputies reached and (public ones)
//! signed-in constituents within the window, and walk-ins' views entered by a contact point's
//! staff — and the comments as shown, their authors named for deputies and masked otherwise.

use super::access::{self, Stand};
use crate::auth::policy::Action;
use crate::auth::{Principal, Role};
use crate::consultations::model::{CommentCreate, CommentView, WalkInCommentCreate};
use crate::consultations::rules;
use crate::consultations::store::comments::{self, Author, CommentRow};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, WriteErrors};
use crate::platform::pii::{field, Pii};
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use std::collections::HashMap;

/// The rule a deputy's part in a consultation earns, once per consultation.
pub const POINT_KIND: &str = "consultation_answered";

fn channel_name(ch: &str) -> &'static str {
    match ch {
        "visit" => "来访",
        "phone" => "来电",
        "letter" => "来信",
        _ => "座谈",
    }
}

/// The comments as shown: deputies by name; constituents by masked phone when `pii` is given
/// (staff), else as 群众; walk-ins by their contact point and channel.
pub fn views(c: &mut AnyConnection, rows: Vec<CommentRow>, pii: Option<&Pii>) -> AppResult<Vec<CommentView>> {
    let mut deputies: Vec<i64> = rows.iter().filter_map(|r| r.deputy_id).collect();
    deputies.sort_unstable();
    deputies.dedup();
    let names: HashMap<i64, String> = crate::org::deputy_names(c, &deputies)?.into_iter().collect();
    let phones = match pii {
        Some(pii) => {
            let mut ks: Vec<i64> = rows.iter().filter_map(|r| r.constituent_id).collect();
            ks.sort_unstable();
            ks.dedup();
            crate::reception::constituent_phones(c, pii, &ks)?
        }
        None => HashMap::new(),
    };
    let mut stations: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let author = match (r.deputy_id, r.constituent_id, r.station_id) {
            (Some(d), _, _) => names.get(&d).cloned().unwrap_or_default(),
            (_, Some(k), _) => {
                phones.get(&k).map(|p| crate::org::rules::mask_phone(p)).unwrap_or_else(|| "群众".into())
            }
            (_, _, Some(s)) => {
                if let std::collections::hash_map::Entry::Vacant(e) = stations.entry(s) {
                    e.insert(crate::org::station_geo(c, s)?.map(|g| g.name).unwrap_or_default());
                }
                let station = stations.get(&s).cloned().unwrap_or_default();
                format!("{station}（基层立法联系点·{}）", channel_name(r.channel.as_deref().unwrap_or_default()))
            }
            _ => String::new(),
        };
        out.push(CommentView {
            id: r.id,
            article: r.article,
            author_kind: r.author_kind,
            author,
            text: r.body,
            wording: r.wording,
            decision: r.decision,
            reason: r.reason,
            created_at: utc(r.created_at),
        });
    }
    Ok(out)
}

fn check_article(c: &mut AnyConnection, id: i64, article: Option<i32>) -> AppResult<()> {
    match article {
        Some(n) if !crate::consultations::store::articles(c, id)?.iter().any(|a| a.0 == n) => {
            Err(AppError::invalid_field("article", "unknown", "no such article in this text"))
        }
        _ => Ok(()),
    }
}

fn one(c: &mut AnyConnection, id: i64) -> AppResult<CommentView> {
    let row = comments::get(c, id)?.ok_or_else(AppError::not_found)?;
    views(c, vec![row], None)?.pop().ok_or_else(AppError::not_found)
}

/// Comment on an article (or in general, without one), with the wording proposed: deputies the
/// consultation reached, and signed-in constituents when it is public (at most 10 a minute).
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), request_body = CommentCreate, responses((status = 201, body = CommentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/consultations/{id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<CommentCreate>,
) -> AppResult<HttpResponse> {
    if !matches!(p.role, Role::Deputy | Role::Constituent) {
        return Err(AppError::forbidden(Code::Forbidden, "deputies and constituents comment"));
    }
    let (id, now, b) = (id.into_inner(), state.now(), body.into_inner());
    let errs = rules::comment_errors(&b.text, b.wording.as_deref());
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    if p.role == Role::Constituent {
        let key = format!("consultation-comment:{}", p.account_id);
        crate::platform::ratelimit::hit(&state.cache, &state.clock, &key, rules::COMMENTS_PER_MINUTE, 60).await?;
    }
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Read)?;
        let author = match stand {
            Stand::Deputy(d) => Author::Deputy(d),
            Stand::Constituent(k) => Author::Constituent(k),
            _ => return Err(AppError::forbidden(Code::Forbidden, "deputies and constituents comment")),
        };
        access::in_window(&row, now)?;
        check_article(c, id, b.article)?;
        let wording = b.wording.as_deref().map(str::trim).filter(|w| !w.is_empty());
        let cid = comments::insert(c, id, (b.article, b.text.trim(), wording), &author, now)?;
        if let Author::Deputy(d) = author {
            crate::ledger::note(
                c,
                crate::ledger::PointEvent { deputy: d, kind: POINT_KIND, source: ("consultation", id), at: now },
                now,
            )?;
        }
        one(c, cid)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}

/// Enter a walk-in's view at a grassroots legislative contact point (基层立法联系点): that
/// station's staff, within the window; the constituent's phone only with their consent, sealed.
#[utoipa::path(tag = "consultations", params(("id" = i64, Path)), request_body = WalkInCommentCreate, responses((status = 201, body = CommentView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/consultations/{id}/walk-in-comments")]
pub async fn walk_in(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<WalkInCommentCreate>,
) -> AppResult<HttpResponse> {
    if !matches!(p.role, Role::StationStaff | Role::Admin) {
        return Err(AppError::forbidden(Code::Forbidden, "a contact point's staff enter walk-ins' views"));
    }
    let (id, now, b, pii) = (id.into_inner(), state.now(), body.into_inner(), state.pii.clone());
    let mut errs = rules::comment_errors(&b.text, b.wording.as_deref());
    if !rules::CHANNELS.contains(&b.channel.as_str()) {
        errs.push(crate::error::FieldError::new("channel", "invalid_value", rules::CHANNELS.join(", ")));
    }
    let phone = match b.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(_) if !b.consent => {
            errs.push(crate::error::FieldError::new(
                "consent",
                "consent_required",
                "a phone is kept only with consent",
            ));
            None
        }
        Some(s) => match crate::org::rules::normalize_phone(s) {
            Some(n) => Some(n),
            None => {
                errs.push(crate::error::FieldError::new("phone", "invalid_value", "a mobile number"));
                None
            }
        },
    };
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let v = db::tx(&state.db, move |c| {
        let (row, stand) = access::open(c, &p, id, Action::Write)?;
        let points = crate::consultations::store::points(c, id)?;
        let holds = p.role == Role::Admin || p.stations.contains(&b.station_id);
        if !matches!(stand, Stand::Staff | Stand::Point) || !holds || !points.contains(&b.station_id) {
            return Err(AppError::invalid_field(
                "station_id",
                "unknown",
                "not a contact point of this consultation you staff",
            ));
        }
        access::in_window(&row, now)?;
        check_article(c, id, b.article)?;
        let sealed = phone.map(|ph| pii.seal(field::WALK_IN_COMMENT_PHONE, &ph));
        let wording = b.wording.as_deref().map(str::trim).filter(|w| !w.is_empty());
        let author = Author::WalkIn(b.station_id, &b.channel, sealed.as_deref(), p.account_id);
        let cid = comments::insert(c, id, (b.article, b.text.trim(), wording), &author, now)?;
        crate::audit::Entry::by(&p, "consultation.walk_in", "consultation_comment", cid.to_string())
            .region(Some(row.region_path.clone()))
            .write(c, now)?;
        one(c, cid)
    })
    .await?;
    Ok(HttpResponse::Created().json(v))
}
