//! The duty archive (履职档案) of a deputy and year: receptions, attendance of meetings,
//! trainings, inspections and group activities, activities, suggestions, opinions answered,
//! points by category, appeals — as JSON, as CSV (the year's entries, for printing), and as a
//! signed document carrying the deputy's chain head that `lvzhi verify-ledger --archive FILE`
//! checks against the database.

use super::model::{CategoryTotal, YearQuery};
use super::store;
use crate::auth::Principal;
use crate::checkins::DutySummary;
use crate::db::{self, utc, AnyConnection};
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArchiveSeat {
    pub level: String,
    pub region_path: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArchiveAppeal {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub status: String,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
}

/// The deputy's newest ledger entry when the archive was made (its hash seals every earlier one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChainHead {
    pub entry_id: i64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DutyArchive {
    pub deputy_id: i64,
    pub name: String,
    pub year: i32,
    pub seats: Vec<ArchiveSeat>,
    pub duty: DutySummary,
    /// Suggestions filed (entries under `suggestion_filed`, reversed ones not counted).
    pub suggestions: i64,
    /// Constituents' opinions answered (entries with source `opinion_reply`).
    pub opinions_answered: i64,
    pub points_total: i64,
    pub points_by_category: Vec<CategoryTotal>,
    pub entries: i64,
    pub appeals: Vec<ArchiveAppeal>,
    pub chain_head: Option<ChainHead>,
    pub generated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ArchiveSignature {
    /// Always `EdDSA` (Ed25519).
    pub alg: String,
    /// The signing key (as in `/.well-known/jwks.json` while it signs tokens).
    pub kid: String,
    /// base64url of the signature over the archive's canonical JSON bytes.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignedArchive {
    pub archive: serde_json::Value,
    pub signature: ArchiveSignature,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ArchiveQuery {
    #[serde(default, deserialize_with = "crate::http::year_opt")]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i32>,
    /// `json` (default) or `csv` (the year's entries, one per row).
    pub format: Option<String>,
}

/// Builds the archive from the ledger, the duty records and the appeals.
pub fn build(
    c: &mut AnyConnection,
    deputy: i64,
    year: i32,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> AppResult<DutyArchive> {
    let name =
        crate::org::deputy_names(c, &[deputy])?.into_iter().next().map(|x| x.1).ok_or_else(AppError::not_found)?;
    let seats = crate::org::deputy_scopes(c, &[deputy])?.remove(&deputy).unwrap_or_default();
    let bound = |y: i32| tz.with_ymd_and_hms(y, 1, 1, 0, 0, 0).earliest().map(|t| t.naive_utc()).unwrap_or_default();
    let duty = crate::checkins::duty_summary(c, deputy, bound(year), bound(year + 1))?;
    let entries = store::entries_of(c, deputy, Some(year))?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let reversed = store::reversals_of(c, &ids)?;
    let live = |code: &str| {
        entries.iter().filter(|e| e.reverses.is_none() && !reversed.contains_key(&e.id) && e.rule_code == code).count()
            as i64
    };
    let opinions = entries
        .iter()
        .filter(|e| e.reverses.is_none() && !reversed.contains_key(&e.id) && e.source_kind == "opinion_reply")
        .count() as i64;
    let by_category: Vec<CategoryTotal> = store::balances_of(c, deputy, year)?
        .into_iter()
        .map(|(category, points, entries)| CategoryTotal { category, points, entries })
        .collect();
    let f = super::store::appeals::ListFilter {
        deputy: Some(deputy),
        status: None,
        year: Some(year),
        scope: "/%".into(),
        after: 0,
        limit: 1000,
    };
    let appeals = super::store::appeals::list(c, &f)?
        .into_iter()
        .map(|a| ArchiveAppeal {
            id: a.id,
            kind: a.kind,
            description: a.description,
            status: a.status,
            resolution: a.resolution,
            resolution_note: a.resolution_note,
        })
        .collect();
    let head = store::heads_of(c, &[deputy])?
        .into_iter()
        .find(|h| h.1 > 0)
        .map(|(_, entry_id, hash)| ChainHead { entry_id, hash });
    Ok(DutyArchive {
        deputy_id: deputy,
        name,
        year,
        seats: seats
            .into_iter()
            .map(|s| ArchiveSeat { level: s.level, region_path: s.path, status: s.status })
            .collect(),
        duty,
        suggestions: live("suggestion_filed"),
        opinions_answered: opinions,
        points_total: by_category.iter().map(|c| c.points).sum(),
        points_by_category: by_category,
        entries: entries.len() as i64,
        appeals,
        chain_head: head,
        generated_at: now,
    })
}

/// The bytes a signature covers: the archive as JSON with its keys in a fixed (sorted) order.
pub fn canonical(archive: &serde_json::Value) -> Vec<u8> {
    fn sort(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let sorted: std::collections::BTreeMap<&String, serde_json::Value> =
                    m.iter().map(|(k, v)| (k, sort(v))).collect();
                serde_json::Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_vec(&sort(archive)).unwrap_or_default()
}

pub fn sign(state: &AppState, archive: &DutyArchive) -> AppResult<SignedArchive> {
    let value = serde_json::to_value(archive).map_err(AppError::internal)?;
    let (kid, sig) = state.keys.sign(&canonical(&value));
    let value_b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig);
    Ok(SignedArchive { archive: value, signature: ArchiveSignature { alg: "EdDSA".into(), kid, value: value_b64 } })
}

fn csv(c: &mut AnyConnection, deputy: i64, year: i32) -> AppResult<String> {
    let mut w = crate::platform::csv_out::CsvOut::default();
    let header = [
        "entry_id",
        "occurred_at",
        "rule_code",
        "category",
        "points",
        "requested_points",
        "cap_note",
        "source_kind",
        "source_id",
        "reason",
        "reverses",
    ];
    w.row(header)?;
    let entries = store::entries_of(c, deputy, Some(year))?;
    for e in &entries {
        let row = [
            e.id.to_string(),
            utc(e.occurred_at).to_rfc3339(),
            e.rule_code.clone(),
            e.category.clone(),
            e.points.to_string(),
            e.requested_points.to_string(),
            e.cap_note.clone().unwrap_or_default(),
            e.source_kind.clone(),
            e.source_id.clone(),
            e.reason.clone().unwrap_or_default(),
            e.reverses.map(|r| r.to_string()).unwrap_or_default(),
        ];
        w.row(row)?;
    }
    let total: i64 = entries.iter().map(|e| e.points as i64).sum();
    w.row(["", "", "total", "", &total.to_string(), "", "", "", "", "", ""])?;
    w.finish()
}

async fn respond(
    state: &AppState,
    p: Principal,
    deputy: i64,
    q: ArchiveQuery,
    sealed: bool,
) -> AppResult<HttpResponse> {
    let (tz, now) = (state.settings.tz, state.clock.now());
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&now.with_timezone(&tz)));
    let format = q.format.unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "csv") || (sealed && format != "json") {
        return Err(AppError::invalid_field("format", "invalid_value", if sealed { "json" } else { "json or csv" }));
    }
    let (archive, text) = db::run(&state.db, move |c| {
        super::routes::may_read_points(c, &p, deputy)?;
        match format.as_str() {
            "csv" => Ok((None, Some(csv(c, deputy, year)?))),
            _ => Ok((Some(build(c, deputy, year, tz, now)?), None)),
        }
    })
    .await?;
    let name = format!("lvzhi-archive-{deputy}-{year}");
    match (archive, text) {
        (_, Some(t)) => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}.csv\"")))
            .body(t)),
        (Some(a), None) if sealed => Ok(HttpResponse::Ok()
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}.signed.json\"")))
            .json(sign(state, &a)?)),
        (Some(a), None) => Ok(HttpResponse::Ok().json(a)),
        (None, None) => Err(AppError::internal("an archive was neither built nor written")),
    }
}

/// A deputy's duty archive of a year (the deputy, or staff in scope); `format=csv` for the entries.
#[utoipa::path(
    tag = "ledger",
    params(("id" = i64, Path), ArchiveQuery),
    responses((status = 200, description = "the archive, or its entries as CSV with `format=csv`", content((DutyArchive = "application/json"), (String = "text/csv"))), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/deputies/{id}/archive")]
pub async fn of_deputy(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<ArchiveQuery>,
) -> AppResult<HttpResponse> {
    respond(&state, p, id.into_inner(), q.into_inner(), false).await
}

/// The same archive, signed with the installation's key and sealed by the chain head;
/// `lvzhi verify-ledger --archive FILE` checks it.
#[utoipa::path(tag = "ledger", params(("id" = i64, Path), YearQuery), responses((status = 200, body = SignedArchive), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/deputies/{id}/archive/signed")]
pub async fn signed(
    state: web::Data<AppState>,
    p: Principal,
    id: web::Path<i64>,
    q: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    respond(&state, p, id.into_inner(), ArchiveQuery { year: q.year, format: None }, true).await
}

/// My duty archive of a year; `format=csv` for the entries.
#[utoipa::path(
    tag = "ledger",
    params(ArchiveQuery),
    responses((status = 200, description = "the archive, or its entries as CSV with `format=csv`", content((DutyArchive = "application/json"), (String = "text/csv"))), ReadErrors),
    security(("bearer" = []))
)]
#[get("/api/v1/me/archive")]
pub async fn mine(state: web::Data<AppState>, p: Principal, q: web::Query<ArchiveQuery>) -> AppResult<HttpResponse> {
    let me =
        p.deputy_id.ok_or_else(|| AppError::forbidden(Code::Forbidden, "this account is not linked to a deputy"))?;
    respond(&state, p, me, q.into_inner(), false).await
}

/// Checks a signed archive: the signature is ours, the chain head it carries is still in the
/// deputy's chain with the same hash, that chain verifies up to it, and the year's points add up.
/// `Ok(Err(why))` when the archive does not hold.
pub fn verify(
    c: &mut AnyConnection,
    keys: &crate::auth::KeySet,
    doc: &SignedArchive,
) -> AppResult<Result<String, String>> {
    let sig = match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&doc.signature.value) {
        Ok(s) => s,
        Err(_) => return Ok(Err("the signature is not base64url".into())),
    };
    if doc.signature.alg != "EdDSA" || !keys.verify_document(&doc.signature.kid, &canonical(&doc.archive), &sig) {
        return Ok(Err(format!("the signature does not match (key {})", doc.signature.kid)));
    }
    let a: DutyArchive = match serde_json::from_value(doc.archive.clone()) {
        Ok(a) => a,
        Err(e) => return Ok(Err(format!("not a duty archive: {e}"))),
    };
    let Some(head) = &a.chain_head else {
        return Ok(Ok(format!("signature valid; deputy {} had no entries", a.deputy_id)));
    };
    match store::entry(c, head.entry_id)? {
        Some(e) if e.deputy_id == a.deputy_id && e.hash == head.hash => {}
        Some(_) => {
            return Ok(Err(format!(
                "entry {} no longer carries the archived hash: the ledger was rewritten",
                head.entry_id
            )))
        }
        None => return Ok(Err(format!("entry {} is missing from the ledger", head.entry_id))),
    }
    if let Some(broken) = super::service::verify_chain(c, a.deputy_id, head.entry_id)? {
        return Ok(Err(format!("the chain of deputy {} is broken at entry {broken}", a.deputy_id)));
    }
    let total: i64 = store::entries_of(c, a.deputy_id, Some(a.year))?
        .iter()
        .filter(|e| e.id <= head.entry_id)
        .map(|e| e.points as i64)
        .sum();
    if total != a.points_total {
        return Ok(Err(format!("the archive says {} points for {}, the ledger {total}", a.points_total, a.year)));
    }
    Ok(Ok(format!(
        "archive of deputy {} for {} verified: signature by key {}, chain head entry {}, {total} points",
        a.deputy_id, a.year, doc.signature.kid, head.entry_id
    )))
}
