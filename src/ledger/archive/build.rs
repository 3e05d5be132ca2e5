//! The duty archive (履职档案) of a deputy and year: receptions, attendance of meetings,
//! trainings, inspections and group activities, activities, suggestions, opinions answered,
//! points by category, appeals — as JSON, as CSV (the year's entries, for printing), and as a
//! signed document carrying the deputy's chain head that `lvzhi verify-ledger --archive FILE`
//! checks against the database.

use super::model::*;
use crate::db::{utc, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::ledger::model::CategoryTotal;
use crate::ledger::store;
use crate::state::AppState;
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};

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
    let f = crate::ledger::store::appeals::ListFilter {
        deputy: Some(deputy),
        status: None,
        year: Some(year),
        scope: "/%".into(),
        after: 0,
        limit: 1000,
    };
    let appeals = crate::ledger::store::appeals::list(c, &f)?
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
        duty_reports: crate::reports::delivered_in(c, deputy, bound(year), bound(year + 1))?,
        coverage: None,
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

/// A deputy's archive of a year, signed (what a duty report freezes as its figures).
pub fn signed_of(c: &mut AnyConnection, state: &AppState, deputy: i64, year: i32) -> AppResult<SignedArchive> {
    let archive = build(c, deputy, year, state.settings.tz, state.clock.now())?;
    sign(state, &archive)
}

pub fn csv(c: &mut AnyConnection, deputy: i64, year: i32) -> AppResult<String> {
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
    if let Some(broken) = crate::ledger::chain::verify_chain(c, a.deputy_id, head.entry_id)? {
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
