//! `POST /api/v1/deputies/import`: the CSV import, all-or-nothing in one transaction.

use super::plan::{err, plan, Lookups, PHONE_TAKEN};
use crate::audit::Entry;
use crate::auth::policy::{self, Action, Kind};
use crate::auth::Principal;
use crate::db;
use crate::error::{AppError, AppResult, WriteErrors};
use crate::org::deputies::ImportResult;
use crate::org::store::deputies::{NewDeputy, NewSeat};
use crate::org::{narrowed_filter, rules, store};
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use std::collections::HashSet;

/// Imports this large refresh the database's statistics of the directory afterwards.
const ANALYZE_AFTER: usize = 1000;

/// Import deputies from CSV (text/csv, UTF-8, header row). On any bad row nothing is written and
/// the 422 answer lists every problem as (row, field = column, code, message).
#[utoipa::path(
    tag = "deputies",
    request_body(content = String, content_type = "text/csv", description = "姓名,性别,手机号,层级,行政区划代码,届次,选举单位,代表小组,状态,简介 (or the English names)"),
    responses((status = 201, body = ImportResult), WriteErrors),
    security(("bearer" = []))
)]
#[post("/api/v1/deputies/import")]
pub async fn import(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    policy::role_allows(&p, Action::Write, Kind::Deputy)?;
    let bytes = crate::http::read_csv(&req, payload, state.settings.max_import_bytes).await?;
    let now = state.now();
    let result = db::tx(&state.db, move |c| {
        let scope = narrowed_filter(c, &p, Kind::Deputy, None)?;
        let regions =
            store::regions_in(c, &scope)?.into_iter().map(|(id, code, level, _)| (code, (id, level))).collect();
        let groups = store::group_keys(c, &scope)?.into_iter().map(|(r, t, n, id)| ((r, t, n), id)).collect();
        let phones =
            crate::org::store::deputies::phone_index(c)?.into_iter().map(|(ph, id, name)| (ph, (id, name))).collect();
        let (rows, people) = plan(&bytes, &Lookups { regions, groups, phones }).map_err(AppError::validation)?;
        // A row may add a seat only to a deputy already in the importer's scope. A phone of a
        // deputy outside it answers as a phone of another person does (`phone_taken`): the seat
        // is added by the staff who hold that deputy.
        let existing: Vec<i64> = people.iter().filter_map(|p| p.existing_id).collect();
        let scopes = crate::org::store::deputies::deputy_scopes(c, &existing)?;
        let outside: Vec<_> = people
            .iter()
            .filter(|person| {
                person.existing_id.is_some_and(|id| {
                    let paths = scopes.get(&id).map(|s| s.iter().map(|b| b.path.clone()).collect()).unwrap_or_default();
                    policy::authorize(&p, Action::Write, &policy::Target::many(Kind::Deputy, paths)).is_err()
                })
            })
            .flat_map(|person| person.seats.iter().map(|s| err(s.row, "phone", "phone_taken", PHONE_TAKEN)))
            .collect();
        if !outside.is_empty() {
            return Err(AppError::validation(outside));
        }
        // Seats that people already in the directory hold: reported with their rows, nothing written.
        let held: HashSet<(i64, i64, i32)> =
            crate::org::store::deputies::seat_keys(c, &existing)?.into_iter().collect();
        let held = &held;
        let clashes: Vec<_> = people
            .iter()
            .filter_map(|p| p.existing_id.map(|id| (id, p)))
            .flat_map(|(id, p)| p.seats.iter().filter(move |s| held.contains(&(id, s.region_id, s.term))))
            .map(|s| err(s.row, "region_code", "duplicate_seat", "this deputy already holds this seat"))
            .collect();
        if !clashes.is_empty() {
            return Err(AppError::validation(clashes));
        }
        // People who gain a seat move on the leaderboards (new people have no points yet).
        crate::ledger::board_seats_changed(c, &existing)?;
        let mut out = ImportResult { rows, deputies_created: 0, seats_added_to_existing: 0, seats_created: 0 };
        for person in &people {
            let id = match person.existing_id {
                Some(id) => {
                    out.seats_added_to_existing += person.seats.len();
                    id
                }
                None => {
                    out.deputies_created += 1;
                    let code = rules::public_code('D');
                    crate::org::store::deputies::insert_deputy(
                        c,
                        &NewDeputy {
                            name: &person.name,
                            gender: person.gender,
                            phone: person.phone.as_deref(),
                            photo_url: None,
                            introduction: person.introduction.as_deref(),
                            public_code: &code,
                            created_at: now,
                            updated_at: now,
                        },
                    )?
                }
            };
            for s in &person.seats {
                out.seats_created += 1;
                crate::org::store::deputies::insert_seat(
                    c,
                    &NewSeat {
                        deputy_id: id,
                        level: s.level,
                        region_id: s.region_id,
                        term: s.term,
                        electoral_unit: s.electoral_unit.as_deref(),
                        group_id: s.group_id,
                        status: s.status,
                        status_date: None,
                        created_at: now,
                    },
                )?;
            }
        }
        let region = match &scope {
            policy::RegionFilter::Subtree(s) => Some(s.clone()),
            policy::RegionFilter::All => None,
        };
        Entry::by(&p, "deputy.import", "deputy", "bulk")
            .region(region)
            .detail(format!("rows={} created={} seats={}", out.rows, out.deputies_created, out.seats_created))
            .write(c, now)?;
        Ok(out)
    })
    .await?;
    if result.deputies_created + result.seats_created >= ANALYZE_AFTER {
        if let Err(e) = db::run(&state.db, crate::org::store::deputies::refresh_statistics).await {
            tracing::warn!(error = %e, "could not refresh the directory's statistics after an import");
        }
    }
    Ok(HttpResponse::Created().json(result))
}
