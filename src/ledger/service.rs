//! Awards (with caps, the hash chain and the balance in one transaction), reversals, the consumer
//! of pending point events, and chain verification.

use super::rules::{self, Canonical, GENESIS};
use super::store::{self, EntryRow, NewEntry};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{Datelike, NaiveDateTime, TimeZone};

/// What to award.
pub struct Award<'a> {
    pub deputy_id: i64,
    pub rule_code: &'a str,
    /// Overrides the rule's points (manual awards); the rule's points otherwise.
    pub points: Option<i32>,
    pub occurred_at: NaiveDateTime,
    pub source_kind: &'a str,
    pub source_id: &'a str,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
    pub reverses: Option<i64>,
}

fn stamp(t: NaiveDateTime) -> String {
    t.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// UTC bounds of the calendar year (and day) of `t` in the congress time zone.
fn periods(t: NaiveDateTime, tz: chrono_tz::Tz) -> (i32, (NaiveDateTime, NaiveDateTime), (NaiveDateTime, NaiveDateTime)) {
    let local = tz.from_utc_datetime(&t);
    let year = local.year();
    let at = |y: i32, m: u32, d: u32| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|n| tz.from_local_datetime(&n).earliest())
            .map(|x| x.naive_utc())
            .unwrap_or(t)
    };
    let day = local.date_naive();
    let next = day.succ_opt().unwrap_or(day);
    (year, (at(year, 1, 1), at(year + 1, 1, 1)), (at(day.year(), day.month(), day.day()), at(next.year(), next.month(), next.day())))
}

/// Records one award; the same source for the same rule returns the existing entry instead.
/// Returns the entry and whether it was created now.
pub fn award(c: &mut AnyConnection, a: &Award, tz: chrono_tz::Tz, now: NaiveDateTime) -> AppResult<(EntryRow, bool)> {
    // Awards for one deputy queue on the chain head: caps and the chain see every earlier award.
    store::lock_head(c, a.deputy_id)?;
    if let Some(existing) = store::by_source(c, a.deputy_id, a.source_kind, a.source_id, a.rule_code)? {
        return Ok((existing, false));
    }
    let (year, (ys, ye), (ds, de)) = periods(a.occurred_at, tz);
    let day = tz.from_utc_datetime(&a.occurred_at).format("%Y-%m-%d").to_string();
    let rule = store::rule_on(c, a.rule_code, &day)?
        .ok_or_else(|| AppError::invalid_field("rule_code", "unknown_rule", format!("no rule `{}` in effect on {day}", a.rule_code)))?;
    let requested = a.points.unwrap_or(rule.points);
    // Corrections are never capped: a reversal takes back exactly what was granted.
    let (mut points, mut note) = match (a.reverses, rule.yearly_cap) {
        (None, Some(_)) if requested > 0 => rules::apply_cap(requested, store::granted_between(c, a.deputy_id, a.rule_code, ys, ye)?, rule.yearly_cap),
        _ => (requested, None),
    };
    if a.reverses.is_none() && rule.daily_cap.is_some() && points > 0 {
        let (p, n) = rules::apply_cap(points, store::granted_between(c, a.deputy_id, a.rule_code, ds, de)?, rule.daily_cap);
        if n.is_some() {
            note = n.map(|n| format!("daily {n}"));
        }
        points = p;
    }
    let head = store::head(c, a.deputy_id)?;
    let prev = head.as_ref().map(|h| h.1.clone()).unwrap_or_else(|| GENESIS.to_string());
    let source_id = a.source_id.to_string();
    let canonical = Canonical {
        deputy_id: a.deputy_id,
        rule_id: rule.id,
        rule_code: a.rule_code,
        points,
        requested_points: requested,
        cap_note: note.as_deref(),
        occurred_at: &stamp(a.occurred_at),
        recorded_at: &stamp(now),
        source_kind: a.source_kind,
        source_id: &source_id,
        actor: a.actor,
        reason: a.reason,
        reverses: a.reverses,
    };
    let hash = rules::chain_hash(&prev, &canonical);
    let id = store::insert_entry(
        c,
        &NewEntry {
            deputy_id: a.deputy_id,
            rule_id: rule.id,
            rule_code: a.rule_code,
            category: &rule.category,
            year,
            points,
            requested_points: requested,
            cap_note: note.as_deref(),
            occurred_at: a.occurred_at,
            recorded_at: now,
            source_kind: a.source_kind,
            source_id: &source_id,
            actor: a.actor,
            reason: a.reason,
            reverses: a.reverses,
            prev_hash: &prev,
            hash: &hash,
        },
    )?;
    if !store::move_head(c, a.deputy_id, head.as_ref().map(|h| h.1.as_str()), id, &hash)? {
        return Err(AppError::conflict("ledger_busy", "another award for this deputy was recorded at the same moment; retry"));
    }
    store::add_balance(c, a.deputy_id, year, &rule.category, points)?;
    store::add_total(c, a.deputy_id, year, points)?;
    let entry = EntryRow {
        id,
        deputy_id: a.deputy_id,
        rule_id: rule.id,
        rule_code: a.rule_code.to_string(),
        category: rule.category,
        year,
        points,
        requested_points: requested,
        cap_note: note,
        occurred_at: a.occurred_at,
        recorded_at: now,
        source_kind: a.source_kind.to_string(),
        source_id,
        actor: a.actor.to_string(),
        reason: a.reason.map(str::to_string),
        reverses: a.reverses,
        prev_hash: prev,
        hash,
    };
    Ok((entry, true))
}

/// Reverses an entry with an opposite entry linked to it (a correction; nothing is edited).
pub fn reverse(c: &mut AnyConnection, entry_id: i64, actor: &str, reason: &str, tz: chrono_tz::Tz, now: NaiveDateTime) -> AppResult<EntryRow> {
    let orig = store::entry(c, entry_id)?.ok_or_else(|| AppError::invalid_field("entry_id", "unknown_entry", "no such entry"))?;
    if orig.reverses.is_some() {
        return Err(AppError::invalid_field("entry_id", "reversal_of_reversal", "a reversal cannot be reversed; record a new entry instead"));
    }
    if store::reversal_of(c, entry_id)?.is_some() {
        return Err(AppError::conflict("already_reversed", "this entry has already been reversed"));
    }
    let src = entry_id.to_string();
    let a = Award {
        deputy_id: orig.deputy_id,
        rule_code: &orig.rule_code,
        points: Some(-orig.points),
        occurred_at: orig.occurred_at,
        source_kind: "reversal",
        source_id: &src,
        actor,
        reason: Some(reason),
        reverses: Some(entry_id),
    };
    // Negative points are never capped: a reversal takes back exactly what was granted.
    Ok(award(c, &a, tz, now)?.0)
}

/// Turns pending point events from check-ins and events into ledger entries (exactly once per
/// source). Returns how many events were consumed.
pub async fn consume(state: &AppState) -> AppResult<usize> {
    let tz = state.settings.tz;
    let now = state.now();
    db::tx(&state.db, move |c| consume_in(c, tz, now)).await
}

/// [`consume`] inside an open transaction (one batch of up to 500 events).
pub fn consume_in(c: &mut AnyConnection, tz: chrono_tz::Tz, now: NaiveDateTime) -> AppResult<usize> {
    let pending = crate::checkins::store::pending_point_events(c, 500)?;
    for (id, deputy, kind, source_kind, source_id, at) in &pending {
        if let Some(code) = rules::rule_for_event(kind) {
            let src = source_id.to_string();
            award(
                c,
                &Award {
                    deputy_id: *deputy,
                    rule_code: code,
                    points: None,
                    occurred_at: *at,
                    source_kind,
                    source_id: &src,
                    actor: "system",
                    reason: None,
                    reverses: None,
                },
                tz,
                now,
            )?;
        }
        crate::checkins::store::mark_point_event_consumed(c, *id, now)?;
    }
    Ok(pending.len())
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Verification {
    pub ok: bool,
    pub entries_checked: i64,
    pub deputies_checked: i64,
    /// The first entry whose hash or link does not match.
    pub first_broken_entry: Option<i64>,
    pub broken_deputy: Option<i64>,
}

/// Recomputes every chain from the entries (and checks the heads point at the last entry).
pub fn verify(c: &mut AnyConnection) -> AppResult<Verification> {
    let mut last: std::collections::HashMap<i64, (i64, String)> = std::collections::HashMap::new();
    let (mut after, mut checked) = (0i64, 0i64);
    // Entries recorded while we verify are left for the next run.
    let upto = store::max_entry_id(c)?;
    loop {
        let batch: Vec<EntryRow> = store::entries_after(c, after, 5000)?.into_iter().filter(|e| e.id <= upto).collect();
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            checked += 1;
            let prev = last.get(&e.deputy_id).map(|x| x.1.clone()).unwrap_or_else(|| GENESIS.to_string());
            let canonical = Canonical {
                deputy_id: e.deputy_id,
                rule_id: e.rule_id,
                rule_code: &e.rule_code,
                points: e.points,
                requested_points: e.requested_points,
                cap_note: e.cap_note.as_deref(),
                occurred_at: &stamp(e.occurred_at),
                recorded_at: &stamp(e.recorded_at),
                source_kind: &e.source_kind,
                source_id: &e.source_id,
                actor: &e.actor,
                reason: e.reason.as_deref(),
                reverses: e.reverses,
            };
            if e.prev_hash != prev || rules::chain_hash(&prev, &canonical) != e.hash {
                return Ok(Verification {
                    ok: false,
                    entries_checked: checked,
                    deputies_checked: last.len() as i64,
                    first_broken_entry: Some(e.id),
                    broken_deputy: Some(e.deputy_id),
                });
            }
            last.insert(e.deputy_id, (e.id, e.hash.clone()));
        }
        after = batch.last().map(|e| e.id).unwrap_or(after);
    }
    for (deputy, entry_id, hash) in store::heads(c)? {
        if entry_id > upto {
            continue;
        }
        let expected = if entry_id == 0 { None } else { Some(&(entry_id, hash)) };
        if last.get(&deputy) != expected {
            return Ok(Verification {
                ok: false,
                entries_checked: checked,
                deputies_checked: last.len() as i64,
                first_broken_entry: Some(entry_id),
                broken_deputy: Some(deputy),
            });
        }
    }
    Ok(Verification { ok: true, entries_checked: checked, deputies_checked: last.len() as i64, first_broken_entry: None, broken_deputy: None })
}

/// Recomputes balances from the entries; returns the (deputy, year, category) keys that differed
/// and rewrites the table when `fix`.
pub fn rebuild_balances(c: &mut AnyConnection, fix: bool) -> AppResult<Vec<String>> {
    let want = store::recomputed_balances(c)?;
    let have = store::stored_balances(c)?;
    let mut diffs = vec![];
    for (k, v) in &want {
        if have.get(k) != Some(v) {
            diffs.push(format!("deputy {} {} {}: stored {:?}, entries say {:?}", k.0, k.1, k.2, have.get(k), v));
        }
    }
    for k in have.keys().filter(|k| !want.contains_key(*k)) {
        diffs.push(format!("deputy {} {} {}: stored without entries", k.0, k.1, k.2));
    }
    if fix && !diffs.is_empty() {
        store::replace_balances(c, &want)?;
    }
    if fix {
        store::replace_totals(c, &want)?;
    }
    Ok(diffs)
}
