//! Ledger routes: the rulebook, explained statements, reversals, rankings and verification.

use super::cache::LedgerCache;
use super::model::{CategoryTotal, EntryView, PointsStatement, ReversalRequest, RuleView, RulebookQuery, YearQuery};
use super::service::{self, Verification};
use super::store::{self, EntryRow, RuleRow};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors, WriteErrors};
use crate::platform::route_table::RouteTable;
use crate::platform::views::{self, View};
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Datelike;

pub fn rule_view(r: RuleRow) -> RuleView {
    RuleView {
        id: r.id,
        code: r.code,
        name: r.name,
        category: r.category,
        points: r.points,
        yearly_cap: r.yearly_cap,
        daily_cap: r.daily_cap,
        needs_review: r.needs_review,
        clause: r.clause,
        version: r.version,
        region_id: r.region_id,
        effective_from: r.effective_from,
        effective_to: r.effective_to,
    }
}

pub(super) fn this_year(state: &AppState) -> i32 {
    state.clock.now().with_timezone(&state.settings.tz).year()
}

/// The rulebook in force today for a congress, inherited rules included; each rule says which
/// congress's rulebook it comes from (every signed-in user may read it).
#[utoipa::path(tag = "ledger", params(RulebookQuery), responses((status = 200, body = Vec<RuleView>), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/point-rules")]
pub async fn rulebook(
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<RulebookQuery>,
) -> AppResult<web::Json<Vec<RuleView>>> {
    let day = state.clock.now().with_timezone(&state.settings.tz).format("%Y-%m-%d").to_string();
    let region = q.region_id;
    let rows = db::run(&state.db, move |c| {
        let path = match (region, p.deputy_id) {
            (Some(id), _) => crate::org::region_path(c, id)?.ok_or_else(AppError::not_found)?,
            (None, Some(me)) => crate::org::congress_path(
                crate::org::deputy_scopes(c, &[me])?.get(&me).map(Vec::as_slice).unwrap_or_default(),
            ),
            (None, None) => p.region_path.clone().unwrap_or_else(|| "/".into()),
        };
        store::rulebook_at(c, &path, &day)
    })
    .await?;
    Ok(web::Json(rows.into_iter().map(rule_view).collect()))
}

pub fn explain(e: EntryRow, r: Option<&RuleRow>, reversed_by: Option<i64>) -> EntryView {
    EntryView {
        reversed_by,
        id: e.id,
        rule_name: r.map(|r| r.name.clone()).unwrap_or_default(),
        clause: r.map(|r| r.clause.clone()).unwrap_or_default(),
        rule_version: r.map(|r| r.version).unwrap_or_default(),
        rule_region_id: r.map(|r| r.region_id).unwrap_or_default(),
        rule_code: e.rule_code,
        category: e.category,
        points: e.points,
        requested_points: e.requested_points,
        cap_note: e.cap_note,
        occurred_at: utc(e.occurred_at),
        recorded_at: utc(e.recorded_at),
        source_kind: e.source_kind,
        source_id: e.source_id,
        actor: e.actor,
        reason: e.reason,
        reverses: e.reverses,
        hash: e.hash,
    }
}

fn statement(c: &mut AnyConnection, cache: &LedgerCache, deputy: i64, year: i32) -> AppResult<PointsStatement> {
    let entries = store::entries_of(c, deputy, Some(year))?;
    let reversed_by = store::reversals_of_deputy(c, deputy)?;
    // The rule versions cited: kept in memory (immutable), read in one query when new.
    let mut cited: Vec<i64> = entries.iter().map(|e| e.rule_id).collect();
    cited.sort_unstable();
    cited.dedup();
    let rules = cache.rules(c, &cited)?;
    let views = entries
        .into_iter()
        .map(|e| {
            let (rule_id, rv) = (e.rule_id, reversed_by.get(&e.id).copied());
            explain(e, rules.get(&rule_id).map(|r| &**r), rv)
        })
        .collect();
    let by_category: Vec<CategoryTotal> = store::balances_of(c, deputy, year)?
        .into_iter()
        .map(|(category, points, entries)| CategoryTotal { category, points, entries })
        .collect();
    Ok(PointsStatement {
        deputy_id: deputy,
        year,
        total: by_category.iter().map(|c| c.points).sum(),
        by_category,
        entries: views,
    })
}

/// Who may read a deputy's points and archive: the deputy, or staff in scope (404 otherwise,
/// also for other deputies, units and constituents).
pub fn may_read_points(c: &mut AnyConnection, p: &Principal, deputy: i64) -> AppResult<()> {
    let paths = crate::org::deputy_region_paths(c, deputy)?.ok_or_else(AppError::not_found)?;
    if p.deputy_id == Some(deputy) {
        return Ok(());
    }
    if matches!(p.role, Role::Deputy | Role::Unit | Role::Constituent) {
        return Err(AppError::not_found());
    }
    policy::authorize(p, Action::Read, &Target::many(Kind::Deputy, paths))
}

/// My points for a year, entry by entry with rule, clause, source and cap notes.
#[utoipa::path(tag = "ledger", params(YearQuery), responses((status = 200, body = PointsStatement), (status = 304, description = "unchanged since the ETag given in `If-None-Match`"), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/me/points")]
pub async fn mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Principal,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    let year = q.year.unwrap_or_else(|| this_year(&state));
    views::serve(&req, &state, View::Points, me, year as u64, || async {
        let cache = state.ledger.clone();
        Ok((db::read(&state.db, move |c| statement(c, &cache, me, year)).await?, None))
    })
    .await
}

/// A deputy's points for a year (staff in scope).
#[utoipa::path(tag = "ledger", params(("id" = i64, Path), YearQuery), responses((status = 200, body = PointsStatement), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/deputies/{id}/points")]
pub async fn of_deputy(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<YearQuery>,
) -> AppResult<web::Json<PointsStatement>> {
    let id = id.into_inner();
    let year = q.year.unwrap_or_else(|| this_year(&state));
    let cache = state.ledger.clone();
    let s = db::run(&state.db, move |c| {
        may_read_points(c, &p, id)?;
        statement(c, &cache, id, year)
    })
    .await?;
    Ok(web::Json(s))
}

/// Reverse an entry with a linked opposite entry (admins in scope); nothing is edited.
#[utoipa::path(tag = "ledger", params(("id" = i64, Path)), request_body = ReversalRequest, responses((status = 201, body = EntryView), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/ledger/entries/{id}/reverse")]
pub async fn reverse(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    body: web::Json<ReversalRequest>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = body.into_inner().reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::invalid_field("reason", "required", "say why the entry is reversed"));
    }
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff correct the ledger"));
    }
    let (tz, now, cache) = (state.settings.tz, state.now(), state.ledger.clone());
    let e = db::tx(&state.db, move |c| {
        // A missing entry answers exactly like one outside the caller's scope: 404.
        let orig = store::entry(c, id)?.ok_or_else(AppError::not_found)?;
        let paths = crate::org::deputy_region_paths(c, orig.deputy_id)?.unwrap_or_default();
        policy::authorize(&p, Action::Write, &Target::many(Kind::Deputy, paths.clone()))?;
        let rev = service::reverse(c, id, &p.label(), &reason, tz, now)?;
        Entry::by(&p, "ledger.reverse", "ledger_entry", id.to_string())
            .region(paths.first().cloned())
            .detail(format!("reversal={}", rev.id))
            .write(c, now)?;
        let year = rev.year;
        statement(c, &cache, rev.deputy_id, year)?
            .entries
            .into_iter()
            .find(|v| v.id == rev.id)
            .ok_or_else(AppError::not_found)
    })
    .await?;
    Ok(HttpResponse::Created().json(e))
}

/// Recompute every hash chain; names the first broken entry (admins).
#[utoipa::path(tag = "ledger", responses((status = 200, body = Verification), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/ledger/verify")]
pub async fn verify(state: web::Data<AppState>, p: Principal) -> AppResult<web::Json<Verification>> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "only congress staff verify the ledger"));
    }
    Ok(web::Json(db::run(&state.db, service::verify).await?))
}

/// Registers the busiest ledger routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(mine).add(super::rankings::ranking).add(super::awards::award);
}

/// Registers the ledger routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(rulebook)
        .add(of_deputy)
        .add(reverse)
        .add(verify)
        .add(super::awards::propose)
        .add(super::awards::decide)
        .add(super::rulebook::create)
        .add(super::appeals::create)
        .add(super::appeals::mine)
        .add(super::appeals::queue)
        .add(super::appeals::one)
        .add(super::appeals::message)
        .add(super::appeals::resolve)
        .add(super::archive::of_deputy)
        .add(super::archive::signed)
        .add(super::archive::mine)
        .add(super::publish::publish)
        .add(super::publish::snapshots)
        .add(super::publish::snapshot_rows)
        .add(super::publish::published_heads)
        .add(super::evaluation::settings)
        .add(super::evaluation::set)
        .add(super::evaluation::evaluate)
        .add(super::simulate::simulate);
}
