//! `POST /api/v1/liaison-links/import`: a congress's links for a term from CSV, all-or-nothing —
//! each row checked as a single link is (the member in the congress, the target in it or directly
//! below, no second active link of the pair), and on any problem nothing is written and the 422
//! lists every one by row.

use super::access::congress;
use super::links::{check_member, check_target};
use crate::audit::Entry;
use crate::auth::policy::{Action, RegionFilter};
use crate::auth::{Principal, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult, Code, FieldError, WriteErrors};
use crate::liaison::model::LinkCreate;
use crate::liaison::rules::import::{parse, Planned, Who};
use crate::liaison::rules::{keys, own_or_child};
use crate::liaison::store::{self, NewLink};
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::{IntoParams, ToSchema};

/// The largest file taken.
const MAX_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// The congress; the caller's own by default.
    pub region_id: Option<i64>,
    /// The congress's term (届): required.
    pub term: Option<i32>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinksImported {
    pub created: usize,
}

/// What the rows name, looked up once: deputies by phone, the congress's groups by name.
struct Names {
    phones: HashMap<String, i64>,
    groups: HashMap<String, Vec<i64>>,
}

fn names(c: &mut AnyConnection, path: &str) -> AppResult<Names> {
    let phones = crate::org::deputy_phone_index(c)?.into_iter().map(|(ph, id, _)| (ph, id)).collect();
    let mut groups: HashMap<String, Vec<i64>> = HashMap::new();
    for (_, _, name, id) in crate::org::group_keys(c, &RegionFilter::Subtree(path.to_string()))? {
        if crate::org::group_named(c, id)?.is_some_and(|(_, gp)| own_or_child(&gp, path)) {
            groups.entry(name).or_default().push(id);
        }
    }
    Ok(Names { phones, groups })
}

/// The row as a single link's request, or what it names that does not exist.
fn request(
    c: &mut AnyConnection,
    n: &Names,
    p: &Planned,
    (region, term): (i64, i32),
) -> AppResult<Result<LinkCreate, FieldError>> {
    let miss = |col: &str, what: &str| Ok(Err(FieldError::new(col, "not_found", what).at_row(p.row)));
    let mut b = LinkCreate {
        region_id: Some(region),
        term,
        member_deputy_id: None,
        member_account_id: None,
        deputy_id: None,
        group_id: None,
        yearly_target: Some(p.yearly_target),
    };
    match &p.member {
        Who::Deputy(ph) => match n.phones.get(ph) {
            Some(id) => b.member_deputy_id = Some(*id),
            None => return miss("member_phone", "no deputy has this phone"),
        },
        Who::Account(u) => match crate::auth::account_by_username(c, u)? {
            Some(a) => b.member_account_id = Some(a.id),
            None => return miss("member_username", "no such account"),
        },
        Who::Group(_) => return miss("member_phone", "a member is a person"),
    }
    match &p.target {
        Who::Deputy(ph) => match n.phones.get(ph) {
            Some(id) => b.deputy_id = Some(*id),
            None => return miss("deputy_phone", "no deputy has this phone"),
        },
        Who::Group(g) => match n.groups.get(g).map(Vec::as_slice) {
            Some([id]) => b.group_id = Some(*id),
            Some(_) => {
                return Ok(Err(FieldError::new("group", "ambiguous", "several groups have this name").at_row(p.row)))
            }
            None => return miss("group", "no group of this name in the congress or directly below"),
        },
        Who::Account(_) => return miss("deputy_phone", "a target is a deputy or a group"),
    }
    Ok(Ok(b))
}

/// Checks one row as a single link is checked; its problems carry its row.
fn check(c: &mut AnyConnection, path: &str, region: i64, b: &LinkCreate, row: usize) -> AppResult<Vec<FieldError>> {
    for r in [check_member(c, path, region, b), check_target(c, path, b)] {
        if let Err(e) = r {
            if e.code != Code::ValidationFailed {
                return Err(e);
            }
            return Ok(e.errors.into_iter().map(|f| f.at_row(row)).collect());
        }
    }
    Ok(vec![])
}

fn key(b: &LinkCreate) -> (String, String) {
    keys((b.member_deputy_id, b.member_account_id), (b.deputy_id, b.group_id))
}

/// Import a congress's links for a term from CSV (text/csv, UTF-8, header row: 成员手机号 or
/// 成员账号, 代表手机号 or 代表小组, 年度联系次数 — or member_phone, member_username,
/// deputy_phone, group, yearly_target). All-or-nothing: on any bad row nothing is written and the
/// 422 lists every problem by row (staff).
#[utoipa::path(tag = "liaison", params(ImportQuery), request_body(content = String, content_type = "text/csv"), responses((status = 201, body = LinksImported), WriteErrors), security(("bearer" = [])))]
#[post("/api/v1/liaison-links/import")]
pub async fn import(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    q: web::Query<ImportQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    if p.role != Role::Admin {
        return Err(AppError::forbidden(Code::Forbidden, "congress staff keep the liaison links"));
    }
    let (q, now) = (q.into_inner(), state.now());
    let term = q
        .term
        .filter(|t| (1..=100).contains(t))
        .ok_or_else(|| AppError::invalid_field("term", "out_of_range", "a term 1–100"))?;
    let bytes = crate::http::read_csv(&req, payload, MAX_BYTES).await?;
    let planned = parse(&bytes).map_err(AppError::validation)?;
    let created = db::tx(&state.db, move |c| {
        let (region, path) = congress(c, &p, q.region_id, Action::Write)?;
        let n = names(c, &path)?;
        let taken: HashSet<(String, String)> =
            store::of_congress(c, &path, Some(term), true)?.into_iter().map(|l| (l.member_key, l.target_key)).collect();
        let (mut ok, mut errors, mut seen) = (vec![], vec![], HashSet::new());
        for pl in &planned {
            let b = match request(c, &n, pl, (region, term))? {
                Ok(b) => b,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let found = check(c, &path, region, &b, pl.row)?;
            if !found.is_empty() {
                errors.extend(found);
            } else if taken.contains(&key(&b)) || !seen.insert(key(&b)) {
                errors.push(
                    FieldError::new("deputy_phone", "already_exists", "this pair is linked already this term")
                        .at_row(pl.row),
                );
            } else {
                ok.push(b);
            }
        }
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        for b in &ok {
            let link = NewLink {
                congress: (region, &path),
                term,
                member: (b.member_deputy_id, b.member_account_id),
                target: (b.deputy_id, b.group_id),
                yearly_target: b.yearly_target.unwrap_or(4),
                by: p.account_id,
            };
            store::insert(c, &link, now)?;
        }
        Entry::by(&p, "liaison_link.import", "region", region.to_string()).region(Some(path)).write(c, now)?;
        Ok(ok.len())
    })
    .await?;
    Ok(HttpResponse::Created().json(LinksImported { created }))
}
