//! Routes: congress staff (in their region's subtree) list the suggestions filed with them,
//! accept one (the author's and co-signers' points are booked), return it for revision or turn
//! it into an opinion with a reason, and assign it to a lead unit and co-handling units with a
//! deadline, marking a key suggestion with its supervising leader.

use crate::auth::Principal;
use crate::error::{AppError, AppResult, ReadErrors, WriteErrors};
use crate::http::{Page, PageQuery};
use crate::ledger::PointEvent;
use crate::state::AppState;
use crate::suggestions::model::{Stand, SuggestionView};
use crate::suggestions::routes::filing::{list, StatusQuery};
use crate::suggestions::rules::{self, Action, Actor};
use crate::suggestions::store::{self, Owner};
use crate::suggestions::{step, step_telling, tell_author, transition};
use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub lead_unit_id: i64,
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
    /// Months the units have (1–12; default `LVZHI_SUGGESTION_DEADLINE_MONTHS`).
    pub months: Option<u32>,
    /// Marks a key suggestion (重点建议), supervised by this leader.
    pub key_leader: Option<String>,
}

fn reason(r: &str) -> AppResult<String> {
    let r = r.trim();
    if r.is_empty() || r.chars().count() > 1000 {
        return Err(AppError::invalid_field("reason", "required", "say why, in at most 1,000 characters"));
    }
    Ok(r.to_string())
}

/// Suggestions filed with my congress or below, newest first (staff, and clients with
/// `suggestions:read`; drafts are not shown).
#[utoipa::path(tag = "suggestions", params(StatusQuery, PageQuery), responses((status = 200, body = Page<SuggestionView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/suggestions")]
pub async fn staff_list(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<StatusQuery>,
    pq: web::Query<PageQuery>,
) -> AppResult<web::Json<Page<SuggestionView>>> {
    let owner = if p.role == crate::auth::Role::Client {
        // Third-party clients list them with `suggestions:read`, inside their region.
        crate::auth::policy::scoped_read(&p, crate::auth::policy::SCOPE_SUGGESTIONS_READ)?;
        Owner::Region(crate::org::subtree_like(p.region_path.as_deref().unwrap_or("/")))
    } else {
        Owner::Region(crate::suggestions::staff_scope(&p)?)
    };
    list(&state, owner, q.into_inner().status, &pq).await
}

fn staff(s: Stand) -> bool {
    s == Stand::Staff
}

/// Accept a submitted suggestion; the author earns the filing points and each confirmed
/// co-signer the co-signing points, once.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
) -> AppResult<web::Json<SuggestionView>> {
    step(&state, p, id.into_inner(), staff, "suggestion.accept", |c, p, s, stand, now| {
        transition(c, s, rules::next(&s.status, Action::Accept, Actor::Staff), (p, stand), None, now)?;
        crate::ledger::note(
            c,
            PointEvent { deputy: s.author_deputy_id, kind: "suggestion_filed", source: ("suggestion", s.id), at: now },
            now,
        )?;
        for (d, status) in store::cosigners(c, s.id)? {
            if status == "confirmed" {
                crate::ledger::note(
                    c,
                    PointEvent { deputy: d, kind: "suggestion_cosigned", source: ("suggestion", s.id), at: now },
                    now,
                )?;
            }
        }
        Ok(())
    })
    .await
}

/// Return a submitted suggestion to its author for revision, saying why.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = Reason, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/return")]
pub async fn return_it(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<Reason>,
) -> AppResult<web::Json<SuggestionView>> {
    let why = reason(&body.reason)?;
    let when = (state.settings.tz, state.settings.quiet_hours);
    step_telling(&state, p, id.into_inner(), staff, "suggestion.return", move |c, p, s, stand, now| {
        transition(c, s, rules::next(&s.status, Action::Return, Actor::Staff), (p, stand), Some(&why), now)?;
        Ok(vec![tell_author(
            c,
            when,
            s,
            &format!("建议退回修改：{}", s.title),
            &format!("退回理由：{why}\n\n请修改后重新提交。"),
            now,
        )?])
    })
    .await
}

/// Handle a suggestion as an opinion instead (e.g. a matter for one street), saying why: it
/// becomes an accepted case of the reception room (`opinion_ticket`), which the author follows
/// and rates there.
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = Reason, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/convert")]
pub async fn convert(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<Reason>,
) -> AppResult<web::Json<SuggestionView>> {
    let why = reason(&body.reason)?;
    let (day, when) = (crate::reception::prepare_raise(&state).await?, (state.settings.tz, state.settings.quiet_hours));
    step_telling(&state, p, id.into_inner(), staff, "suggestion.convert", move |c, p, s, stand, now| {
        transition(c, s, rules::next(&s.status, Action::Convert, Actor::Staff), (p, stand), Some(&why), now)?;
        let raised = crate::reception::Raised {
            suggestion: s.id,
            number: s.number.as_deref().unwrap_or_default(),
            deputy: s.author_deputy_id,
            deputy_account: s.author_account,
            region_path: &s.region_path,
            category: &s.category,
            title: &s.title,
            content: &s.content,
            reason: &why,
        };
        let (ticket, wake) = crate::reception::raise_opinion(c, &raised, p, day, now)?;
        store::set_opinion_ticket(c, s.id, &ticket)?;
        let body = format!("转办理由：{why}\n\n已转为社情民意（编号 {ticket}）继续办理，办理结果由您评价。");
        Ok(vec![wake, tell_author(c, when, s, &format!("建议转为意见办理：{}", s.title), &body, now)?])
    })
    .await
}

/// Assign an accepted suggestion to a lead unit and co-handling units with a deadline; a key
/// suggestion names its supervising leader (and earns the author the key-suggestion points).
#[utoipa::path(tag = "suggestions", params(("id" = i64, Path)), request_body = Assignment, responses((status = 200, body = SuggestionView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/suggestions/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<Assignment>,
) -> AppResult<web::Json<SuggestionView>> {
    let b = body.into_inner();
    let months = b.months.unwrap_or(state.settings.suggestion_deadline_months);
    if !(1..=12).contains(&months) {
        return Err(AppError::invalid_field("months", "out_of_range", "1 to 12 months"));
    }
    let leader = b.key_leader.map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    let pii = state.pii.clone();
    step(&state, p, id.into_inner(), staff, "suggestion.assign", move |c, p, s, stand, now| {
        for u in std::iter::once(&b.lead_unit_id).chain(&b.co_unit_ids) {
            let ok = crate::org::unit_region_path(c, *u)?
                .is_some_and(|x| s.region_path.starts_with(&x) || x.starts_with(&s.region_path));
            if !ok {
                return Err(AppError::invalid_field(
                    "lead_unit_id",
                    "unknown_unit",
                    format!("no handling unit of this congress has id {u}"),
                ));
            }
        }
        let note = leader.as_ref().map(|l| format!("key suggestion, supervised by {l}"));
        transition(c, s, rules::next(&s.status, Action::Assign, Actor::Staff), (p, stand), note.as_deref(), now)?;
        store::assign_units(c, s.id, b.lead_unit_id, &b.co_unit_ids)?;
        let due =
            now.checked_add_months(chrono::Months::new(months)).ok_or_else(|| AppError::internal("bad deadline"))?;
        store::set_assignment(c, s.id, due, leader.as_deref())?;
        if leader.is_some() {
            crate::ledger::note(
                c,
                PointEvent {
                    deputy: s.author_deputy_id,
                    kind: "suggestion_key",
                    source: ("suggestion", s.id),
                    at: now,
                },
                now,
            )?;
        }
        // The units hear of it by SMS (their contact numbers).
        for u in std::iter::once(&b.lead_unit_id).chain(&b.co_unit_ids) {
            if let Some(phone) = crate::org::unit(c, *u)?.and_then(|(u, _)| u.contact_phone) {
                let text = format!("【履职】代表建议《{}》已交由贵单位办理，请及时签收并与代表沟通。", s.title);
                crate::sms::enqueue_text(
                    c,
                    &pii,
                    &phone,
                    &text,
                    &format!("suggestion-assign:{}:{u}:{}", s.id, s.round),
                    now,
                )?;
            }
        }
        Ok(())
    })
    .await
}
