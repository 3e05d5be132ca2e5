//! Routes: the plan of a congress and term — every deputy seated there with their report — and
//! scheduling reports in bulk (a deputy, a date, a station, the electoral unit invited).

use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::db::{self, utc};
use crate::error::{AppError, AppResult, FieldError, ReadErrors, WriteErrors};
use crate::reports::model::{PlanLine, PlanQuery, RemindRequest, Reminded, ScheduleRequest};
use crate::reports::store::{self, Schedule};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::Datelike;
use std::collections::HashMap;

/// Every deputy seated in the congress (`region`, else the caller's) in `term`, with their most
/// advanced report of the term. Overdue: the scheduled date passed, or the year by which the
/// congress requires a report (its settings) is over, without a delivered report.
fn plan_lines(
    c: &mut db::AnyConnection,
    p: &Principal,
    region: Option<i64>,
    term: i32,
    (now, year): (chrono::NaiveDateTime, i32),
) -> AppResult<Vec<PlanLine>> {
    let path = match region {
        Some(id) => crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?,
        None => p.region_path.clone().unwrap_or_else(|| "/".into()),
    };
    policy::authorize(p, Action::Read, &Target::new(Kind::Deputy, path.clone()))?;
    // The congress's own deputies: a seat in this very region and term.
    let near = crate::org::deputies_matching(c, &path, None, Some(term), None)?;
    let seats = crate::org::deputy_scopes(c, &near)?;
    let mut ids: Vec<i64> =
        near.into_iter().filter(|d| seats.get(d).is_some_and(|s| s.iter().any(|x| x.path == path))).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = crate::org::deputy_names(c, &ids)?.into_iter().collect();
    let past_due = crate::ledger::duty_report_due_year(c, &path)?.is_some_and(|due| year > due);
    let mut reports: HashMap<i64, store::ReportRow> = HashMap::new();
    for r in store::of_plan(c, &path, term)? {
        // The most advanced report of each deputy (a delivered one over a later draft).
        let rank = |s: &str| {
            ["scheduled", "draft", "returned", "submitted", "approved", "delivered", "published"]
                .iter()
                .position(|x| *x == s)
        };
        match reports.get(&r.deputy_id) {
            Some(have) if rank(&have.status) >= rank(&r.status) => {}
            _ => {
                reports.insert(r.deputy_id, r);
            }
        }
    }
    let lines = ids.into_iter().map(|d| {
        let r = reports.get(&d);
        let reported = r.is_some_and(|r| matches!(r.status.as_str(), "delivered" | "published"));
        let at = r.and_then(|r| r.scheduled_for);
        PlanLine {
            deputy_id: d,
            name: names.get(&d).cloned().unwrap_or_default(),
            report_id: r.map(|r| r.id),
            status: r.map(|r| r.status.clone()),
            scheduled_for: at.map(utc),
            reported,
            overdue: !reported && (past_due || at.is_some_and(|t| t < now)),
        }
    });
    Ok(lines.collect())
}

/// The plan of a congress and term: every deputy seated there with whether they have reported,
/// when their report is scheduled and its state (congress staff in scope).
#[utoipa::path(tag = "duty-reports", params(PlanQuery), responses((status = 200, body = Vec<PlanLine>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/duty-reports/plan")]
pub async fn plan(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<PlanQuery>,
) -> AppResult<web::Json<Vec<PlanLine>>> {
    let q = q.into_inner();
    if !matches!(q.filter.as_deref(), None | Some("not_reported" | "scheduled" | "overdue")) {
        return Err(AppError::invalid_field("filter", "invalid_value", "not_reported, scheduled or overdue"));
    }
    let (now, tz) = (state.now(), state.settings.tz);
    let year = utc(now).with_timezone(&tz).year();
    let lines = db::run(&state.db, move |c| {
        let lines = plan_lines(c, &p, q.region_id, q.term, (now, year))?;
        Ok(lines
            .into_iter()
            .filter(|l| match q.filter.as_deref() {
                Some("not_reported") => !l.reported,
                Some("scheduled") => l.scheduled_for.is_some() && !l.reported,
                Some("overdue") => l.overdue,
                _ => true,
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(lines))
}

/// Schedule reports in bulk: a deputy, a date, a station and the electoral unit invited (congress
/// staff in scope). A deputy's report not yet drafted moves to the new date.
#[utoipa::path(tag = "duty-reports", request_body = ScheduleRequest, responses((status = 200, body = Vec<i64>, description = "the reports' ids, in order"), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/schedule")]
pub async fn schedule(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<ScheduleRequest>,
) -> AppResult<HttpResponse> {
    if p.role != crate::auth::Role::Admin {
        return Err(AppError::forbidden(crate::error::Code::Forbidden, "congress staff schedule duty reports"));
    }
    let items = body.into_inner().items;
    if items.is_empty() || items.len() > 500 {
        return Err(AppError::invalid_field("items", "out_of_range", "1 to 500 reports"));
    }
    let now = state.now();
    let mut errs = vec![];
    for (i, it) in items.iter().enumerate() {
        if !(1..=30).contains(&it.term) {
            errs.push(FieldError::new(&format!("items[{i}].term"), "out_of_range", "1–30"));
        }
        if !(0..=10_000).contains(&it.representatives) {
            errs.push(FieldError::new(&format!("items[{i}].representatives"), "out_of_range", "0–10000"));
        }
        if it.electoral_unit.as_deref().is_some_and(|u| u.chars().count() > 100) {
            errs.push(FieldError::new(&format!("items[{i}].electoral_unit"), "too_long", "at most 100 characters"));
        }
    }
    if !errs.is_empty() {
        return Err(AppError::validation(errs));
    }
    let ids = db::tx(&state.db, move |c| {
        let mut out = vec![];
        for it in &items {
            if !crate::org::deputies_not_held(c, &p, &[it.deputy_id])?.is_empty() {
                return Err(AppError::not_found());
            }
            let (_, station_path) = crate::org::station_region(c, it.station_id)?.ok_or_else(AppError::not_found)?;
            policy::authorize(&p, Action::Write, &Target::station(it.station_id, station_path))?;
            let seats = crate::org::deputy_scopes(c, &[it.deputy_id])?;
            let path = crate::org::congress_path(seats.get(&it.deputy_id).map(Vec::as_slice).unwrap_or_default());
            policy::authorize(&p, Action::Write, &Target::new(Kind::Deputy, path.clone()))?;
            let s = Schedule {
                deputy: it.deputy_id,
                region_path: &path,
                term: it.term,
                station: it.station_id,
                electoral_unit: it.electoral_unit.as_deref().map(str::trim),
                representatives: it.representatives,
                at: it.at.naive_utc(),
            };
            let id = match store::open_of(c, it.deputy_id, it.term)? {
                Some(r) => {
                    store::reschedule(c, r.id, &s, now)?;
                    r.id
                }
                None => store::insert_scheduled(c, &s, now)?,
            };
            Entry::by(&p, "duty_report.schedule", "duty_report", id.to_string()).region(Some(path)).write(c, now)?;
            out.push(id);
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ids))
}

/// Remind every deputy of a congress and term who has not reported yet: a notice each (admins
/// in scope).
#[utoipa::path(tag = "duty-reports", request_body = RemindRequest, responses((status = 200, body = Reminded), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/duty-reports/remind")]
pub async fn remind(
    state: web::Data<AppState>,
    p: Principal,
    body: web::Json<RemindRequest>,
) -> AppResult<web::Json<Reminded>> {
    if p.role != crate::auth::Role::Admin {
        return Err(AppError::forbidden(crate::error::Code::Forbidden, "congress staff send the reminders"));
    }
    let (b, now, st) = (body.into_inner(), state.now(), state.clone());
    let year = utc(now).with_timezone(&st.settings.tz).year();
    let (n, wakes) = db::tx(&state.db, move |c| {
        let lines = plan_lines(c, &p, b.region_id, b.term, (now, year))?;
        let due: Vec<i64> = lines.iter().filter(|l| !l.reported).map(|l| l.deputy_id).collect();
        let wakes = crate::reports::jobs::remind_unreported(c, &st, &due)?;
        Entry::by(&p, "duty_report.remind", "region", b.region_id.unwrap_or_default().to_string()).write(c, now)?;
        Ok((due.len(), wakes))
    })
    .await?;
    crate::live::announce(&state, &wakes).await;
    Ok(web::Json(Reminded { reminded: n }))
}
