//! Posting awards to the ledger, any number at once: the point-event consumer posts hundreds per
//! transaction, the award API posts whatever arrived together (see [`crate::db::bulk`]).
//!
//! One statement per step for the whole set: lock the deputies' chain heads (in deputy order,
//! so concurrent posters queue instead of deadlocking), read the entries already recorded for
//! these sources, the rules in force for each deputy's congress, the points already granted
//! under capped rules; decide every award in memory in order (caps and chains see the awards
//! before them, also within the set); then one multi-row INSERT of the entries and one upsert
//! each of heads, balances and yearly totals.

use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::ledger::rules::{self, Canonical, GENESIS};
use crate::ledger::store::{self, EntryRow, NewEntry, RuleRow};
use chrono::{Datelike, NaiveDateTime, TimeZone};
use std::collections::{BTreeMap, HashMap};

/// What to award.
#[derive(Debug, Clone)]
pub struct Award {
    pub deputy_id: i64,
    pub rule_code: String,
    /// Overrides the rule's points (manual awards, reversals); the rule's points otherwise.
    pub points: Option<i32>,
    pub occurred_at: NaiveDateTime,
    pub source_kind: String,
    pub source_id: String,
    pub actor: String,
    pub reason: Option<String>,
    pub reverses: Option<i64>,
    /// Refuse rules that need maker-checker review (direct awards through the API).
    pub direct: bool,
}

/// Timestamps as the hash covers them.
pub fn stamp(t: NaiveDateTime) -> String {
    rules::canonical_time(t)
}

/// The calendar year of `t` in the congress time zone, and the UTC bounds of that year and day.
fn periods(
    t: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> (i32, (NaiveDateTime, NaiveDateTime), (NaiveDateTime, NaiveDateTime)) {
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
    (
        year,
        (at(year, 1, 1), at(year + 1, 1, 1)),
        (at(day.year(), day.month(), day.day()), at(next.year(), next.month(), next.day())),
    )
}

/// (deputy, source kind, source id, rule code): one entry at most per key. Borrowed from the
/// awards or the rows read, so that matching allocates nothing.
type SourceKey<'a> = (i64, &'a str, &'a str, &'a str);

fn key_of<'a>(deputy: i64, kind: &'a str, id: &'a str, code: &'a str) -> SourceKey<'a> {
    (deputy, kind, id, code)
}

/// A source already seen: recorded before this call, or posted earlier in it (its place in `fresh`).
enum Seen<'a> {
    Recorded(&'a EntryRow),
    Posted(usize),
}

/// Posts the awards in order; one answer each: the entry and whether it was created now (the
/// same source for the same rule answers the entry already recorded). An `Err` for the whole
/// call is a database failure: the caller's transaction must roll back.
pub fn post(c: &mut AnyConnection, awards: &[Award], tz: chrono_tz::Tz, now: NaiveDateTime) -> AppResult<Posted> {
    let ids: Vec<i64> = awards.iter().map(|a| a.deputy_id).collect();
    let scopes = crate::org::deputy_scopes(c, &ids)?;
    Ok(post_scoped(c, awards, &scopes, tz, now)?.0)
}

/// One answer per award: the entry and whether it was created now.
pub type Posted = Vec<AppResult<(EntryRow, bool)>>;

/// The seats of each deputy (see [`crate::org::deputy_scopes`]).
pub type Scopes = HashMap<i64, Vec<crate::org::SeatBrief>>;

/// [`post`] for a caller that has read the deputies' seats already; also answers the rule
/// versions it read (they explain the entries).
pub fn post_scoped(
    c: &mut AnyConnection,
    awards: &[Award],
    scopes: &Scopes,
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
) -> AppResult<(Posted, Vec<RuleRow>)> {
    if awards.is_empty() {
        return Ok((vec![], vec![]));
    }
    let mut deputies: Vec<i64> = awards.iter().map(|a| a.deputy_id).collect();
    deputies.sort_unstable();
    deputies.dedup();
    let mut heads: HashMap<i64, String> = store::lock_heads(c, &deputies)?;
    let sources: Vec<(i64, &str, &str)> =
        awards.iter().map(|a| (a.deputy_id, a.source_kind.as_str(), a.source_id.as_str())).collect();
    let existing: Vec<EntryRow> = store::by_sources(c, &sources)?;
    let mut seen: HashMap<SourceKey, Seen> = existing
        .iter()
        .map(|e| (key_of(e.deputy_id, &e.source_kind, &e.source_id, &e.rule_code), Seen::Recorded(e)))
        .collect();
    // Awards repeating a source first posted in this same call: (award, place in `fresh`).
    let mut repeats: Vec<(usize, usize)> = vec![];
    let congress: HashMap<i64, String> =
        scopes.iter().map(|(d, seats)| (*d, crate::org::congress_path(seats))).collect();
    // Distinct values only: a bulk's awards mostly share their rule and their congresses.
    let mut regions: Vec<i64> = congress.values().flat_map(|p| rules::path_ids(p)).collect();
    regions.sort_unstable();
    regions.dedup();
    let mut codes: Vec<&str> = awards.iter().map(|a| a.rule_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let book: Vec<RuleRow> = store::rules_for(c, &codes, &regions)?;
    // Points granted so far under capped rules: (deputy, code) → (occurred_at, points).
    let capped: Vec<&str> =
        book.iter().filter(|r| r.yearly_cap.is_some() || r.daily_cap.is_some()).map(|r| r.code.as_str()).collect();
    let mut granted: HashMap<(i64, String), Vec<(NaiveDateTime, i32)>> = HashMap::new();
    // The congress years the awards fall in, and the UTC range they cover.
    let years: Vec<(i32, (NaiveDateTime, NaiveDateTime))> =
        awards.iter().map(|a| periods(a.occurred_at, tz)).map(|(y, range, _)| (y, range)).collect();
    // (One year's range is the same for all its awards, so the least and greatest pairs bound it.)
    if let (false, Some(first), Some(last)) = (capped.is_empty(), years.iter().min(), years.iter().max()) {
        let span: Vec<i32> = (first.0..=last.0).collect();
        for (d, code, at, p) in store::granted_in(c, &deputies, &capped, &span, (first.1 .0, last.1 .1))? {
            granted.entry((d, code)).or_default().push((at, p));
        }
    }
    let mut out: Vec<Option<AppResult<(EntryRow, bool)>>> = awards.iter().map(|_| None).collect();
    let mut fresh: Vec<(usize, EntryRow)> = vec![];
    let mut balances: BTreeMap<(i64, i32, String), (i64, i64)> = BTreeMap::new();
    for (i, a) in awards.iter().enumerate() {
        let key = key_of(a.deputy_id, &a.source_kind, &a.source_id, &a.rule_code);
        match seen.get(&key) {
            Some(Seen::Recorded(e)) => {
                out[i] = Some(Ok(((*e).clone(), false)));
                continue;
            }
            Some(Seen::Posted(j)) => {
                repeats.push((i, *j));
                continue;
            }
            None => {}
        }
        let (year, (ys, ye), (ds, de)) = periods(a.occurred_at, tz);
        let day = crate::db::stamp::day(tz.from_utc_datetime(&a.occurred_at).date_naive());
        let path = congress.get(&a.deputy_id).map(String::as_str).unwrap_or("/");
        let Some(rule) = rules::pick(&book, &a.rule_code, &day, path) else {
            out[i] = Some(Err(AppError::invalid_field(
                "rule_code",
                "unknown_rule",
                format!("no rule `{}` in effect on {day}", a.rule_code),
            )));
            continue;
        };
        if a.direct && rule.needs_review {
            out[i] = Some(Err(AppError::invalid_field(
                "rule_code",
                "needs_review",
                "this rule needs maker-checker review: POST /api/v1/ledger/proposals",
            )));
            continue;
        }
        let requested = a.points.unwrap_or(rule.points);
        let gkey = (a.deputy_id, a.rule_code.clone());
        let so_far = |from: NaiveDateTime, to: NaiveDateTime| -> i32 {
            granted.get(&gkey).map(|g| g.iter().filter(|x| x.0 >= from && x.0 < to).map(|x| x.1).sum()).unwrap_or(0)
        };
        // Corrections are never capped: a reversal takes back exactly what was granted.
        let (mut points, mut note) = match (a.reverses, rule.yearly_cap) {
            (None, Some(_)) => rules::apply_cap(requested, so_far(ys, ye), rule.yearly_cap),
            _ => (requested, None),
        };
        if a.reverses.is_none() && rule.daily_cap.is_some() {
            let (p, n) = rules::apply_cap(points, so_far(ds, de), rule.daily_cap);
            if n.is_some() {
                note = n.map(|n| format!("daily {n}"));
            }
            points = p;
        }
        let prev = heads.get(&a.deputy_id).cloned().unwrap_or_else(|| GENESIS.to_string());
        let canonical = Canonical {
            deputy_id: a.deputy_id,
            rule_id: rule.id,
            rule_code: &a.rule_code,
            points,
            requested_points: requested,
            cap_note: note.as_deref(),
            occurred_at: &stamp(a.occurred_at),
            recorded_at: &stamp(now),
            source_kind: &a.source_kind,
            source_id: &a.source_id,
            actor: &a.actor,
            reason: a.reason.as_deref(),
            reverses: a.reverses,
        };
        let hash = rules::chain_hash(&prev, &canonical);
        heads.insert(a.deputy_id, hash.clone());
        if capped.contains(&a.rule_code.as_str()) {
            granted.entry(gkey).or_default().push((a.occurred_at, points));
        }
        let b = balances.entry((a.deputy_id, year, rule.category.clone())).or_default();
        b.0 += points as i64;
        b.1 += 1;
        let row = EntryRow {
            id: 0,
            deputy_id: a.deputy_id,
            rule_id: rule.id,
            rule_code: a.rule_code.clone(),
            category: rule.category.clone(),
            year,
            points,
            requested_points: requested,
            cap_note: note,
            occurred_at: a.occurred_at,
            recorded_at: now,
            source_kind: a.source_kind.clone(),
            source_id: a.source_id.clone(),
            actor: a.actor.clone(),
            reason: a.reason.clone(),
            reverses: a.reverses,
            prev_hash: prev,
            hash,
        };
        seen.insert(key, Seen::Posted(fresh.len()));
        fresh.push((i, row));
    }
    write(c, &mut fresh, &balances)?;
    super::feed::emit(c, fresh.iter().map(|(_, e)| e), &congress, now)?;
    // A repeat of a source first posted in this same call answers that entry, now with its id.
    for (i, j) in repeats {
        out[i] = Some(Ok((fresh[j].1.clone(), false)));
    }
    for (i, e) in fresh {
        out[i] = Some(Ok((e, true)));
    }
    let answers =
        out.into_iter().map(|o| o.unwrap_or_else(|| Err(AppError::internal("an award was left undecided")))).collect();
    Ok((answers, book))
}

/// Inserts the new entries (setting their ids) and moves heads, balances and totals.
fn write(
    c: &mut AnyConnection,
    fresh: &mut [(usize, EntryRow)],
    balances: &BTreeMap<(i64, i32, String), (i64, i64)>,
) -> AppResult<()> {
    if fresh.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewEntry> = fresh.iter().map(|(_, e)| NewEntry::of(e)).collect();
    let inserted = store::insert_entries(c, &rows)?;
    let ids: HashMap<SourceKey, i64> = inserted.iter().map(|(id, d, k, s, r)| (key_of(*d, k, s, r), *id)).collect();
    let mut last: BTreeMap<i64, (i64, String)> = BTreeMap::new();
    for (_, e) in fresh.iter_mut() {
        let id = ids.get(&key_of(e.deputy_id, &e.source_kind, &e.source_id, &e.rule_code)).copied();
        e.id = id.ok_or_else(|| AppError::internal("an inserted entry came back without its id"))?;
        last.insert(e.deputy_id, (e.id, e.hash.clone()));
    }
    store::set_heads(c, &last)?;
    store::add_balances(c, balances)?;
    let mut totals: BTreeMap<(i64, i32), i64> = BTreeMap::new();
    for ((d, y, _), (p, _)) in balances {
        *totals.entry((*d, *y)).or_default() += p;
    }
    store::add_totals(c, &totals)?;
    // The leaderboards follow the totals through this outbox (see `board`).
    crate::ledger::store::ranks::dirty(c, &totals.keys().copied().collect::<Vec<_>>())
}
