//! Leaderboards in sorted sets (Redis when configured): one set per year and scope — everyone,
//! each region subtree, each region subtree and seat level, each level, each group — scored by
//! the yearly total, so a rank is two range counts instead of a scan. The database stays the
//! source of truth: every change of a total or of a deputy's seats writes an outbox row in its
//! own transaction ([`dirty`]); [`drain`] applies them. A year's board is built from the
//! database ([`rebuild`]) into a new generation that replaces the old one in one step; until a
//! year has a board, rankings are answered by SQL.
//!
//! Scores and scopes: see [`super::scopes`].

use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::ledger::store::ranks as store;
use crate::org::SeatBrief;
use crate::platform::cache::{BoardPut, BoardQuery};
use crate::state::AppState;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::scopes::{points_of, scopes_of, score, M};

/// The name of a year's boards up to the generation number.
fn generations(year: i32) -> String {
    format!("rank:{{{year}}}:g")
}

fn board(year: i32, generation: i64) -> String {
    format!("{}{generation}", generations(year))
}

fn pointer(year: i32, which: &str) -> String {
    format!("rank:{{{year}}}:{which}")
}

/// Marks deputies whose seats changed (their scopes move), inside the change's transaction.
pub fn seats_changed(c: &mut AnyConnection, deputies: &[i64]) -> AppResult<()> {
    if deputies.is_empty() {
        return Ok(());
    }
    let mut sorted = deputies.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    // Under the chain-head lock, so these outbox rows order with the deputies' awards.
    crate::ledger::store::lock_heads(c, &sorted)?;
    store::dirty_all_years(c, &sorted)
}

/// Puts for (deputy, year) pairs at version `version`, read from the database.
fn puts(
    c: &mut AnyConnection,
    pairs: &[(i64, i32)],
    version: &HashMap<(i64, i32), i64>,
) -> AppResult<HashMap<i32, Vec<BoardPut>>> {
    let deputies: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    let seats = crate::org::deputy_scopes(c, &deputies)?;
    let totals = store::totals_of(c, pairs)?;
    let mut out: HashMap<i32, Vec<BoardPut>> = HashMap::new();
    // Deputies with the same seats share one list of scopes (most share it with many others).
    let mut lists: HashMap<&[SeatBrief], Arc<[String]>> = HashMap::new();
    for ((d, y), points) in totals {
        let Some(v) = version.get(&(d, y)) else { continue };
        let mine = seats.get(&d).map(Vec::as_slice).unwrap_or_default();
        // Bare scope names here; `in_generation` names the sets of the board being written.
        let sets = lists.entry(mine).or_insert_with(|| scopes_of(mine).into()).clone();
        out.entry(y).or_default().push(BoardPut { member: d.to_string(), score: score(points, d), version: *v, sets });
    }
    Ok(out)
}

/// Names the scopes of [`puts`] as the sets of a year's board generation (each shared list once).
fn in_generation(puts: &[BoardPut], year: i32, generation: i64) -> Vec<BoardPut> {
    let b = board(year, generation);
    let mut named: HashMap<*const [String], Arc<[String]>> = HashMap::new();
    puts.iter()
        .map(|p| {
            let sets = named
                .entry(Arc::as_ptr(&p.sets))
                .or_insert_with(|| p.sets.iter().map(|scope| format!("{b}:{scope}")).collect())
                .clone();
            BoardPut { member: p.member.clone(), score: p.score, version: p.version, sets }
        })
        .collect()
}

async fn generation(state: &AppState, year: i32, which: &str) -> AppResult<Option<i64>> {
    Ok(state.cache.get(&pointer(year, which)).await?.and_then(|v| v.parse().ok()))
}

/// Applies pending outbox rows to the boards (current, and one being built) and to the kept
/// ranking tables (see [`super::tables`]); returns how many.
pub async fn drain(state: &AppState) -> AppResult<usize> {
    let rows = db::run(&state.db, |c| store::outbox(c, 1000)).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut version: HashMap<(i64, i32), i64> = HashMap::new();
    for (id, d, y) in &rows {
        let v = version.entry((*d, *y)).or_default();
        *v = (*v).max(*id);
    }
    let pairs: Vec<(i64, i32)> = version.keys().copied().collect();
    let mut boards: HashMap<i32, Vec<i64>> = HashMap::new();
    for year in pairs.iter().map(|p| p.1).collect::<BTreeSet<_>>() {
        for which in ["current", "building"] {
            if let Some(g) = generation(state, year, which).await? {
                boards.entry(year).or_default().push(g);
            }
        }
    }
    if !boards.is_empty() {
        let (pairs, boards) = (pairs.clone(), &boards);
        let by_year = db::run(&state.db, move |c| puts(c, &pairs, &version)).await?;
        for (year, p) in by_year {
            for g in boards.get(&year).into_iter().flatten() {
                state.cache.board_put(&board(year, *g), &in_generation(&p, year, *g)).await?;
            }
        }
    }
    // Top lists kept here were read before these changes.
    state.ledger.forget_lists();
    let years: std::collections::HashSet<i32> = pairs.iter().map(|p| p.1).collect();
    let kept = db::run(&state.db, move |c| crate::ledger::store::rank_tables::kept_years(c, &years)).await?;
    if kept.is_empty() {
        db::tx(&state.db, move |c| store::outbox_done(c, &ids)).await?;
        return Ok(rows.len());
    }
    // Kept ranking tables: 200 outbox rows a transaction (about 2,200 rows written), as on SQLite
    // every other write waits for the one writer meanwhile. A deputy in two chunks is brought
    // to the truth twice, which changes nothing the second time.
    for chunk in rows.chunks(200) {
        let ids: Vec<i64> = chunk.iter().map(|r| r.0).collect();
        let pairs: Vec<(i64, i32)> = chunk.iter().map(|r| (r.1, r.2)).collect::<BTreeSet<_>>().into_iter().collect();
        let kept = kept.clone();
        db::tx(&state.db, move |c| {
            super::tables::follow(c, &pairs, &kept)?;
            store::outbox_done(c, &ids)
        })
        .await?;
    }
    Ok(rows.len())
}

/// Builds a year's board unless it exists or another instance is building it.
pub async fn ensure(state: &AppState, year: i32) -> AppResult<()> {
    if generation(state, year, "current").await?.is_some() {
        return Ok(());
    }
    state.cache.exclusively(&pointer(year, "lock"), std::time::Duration::from_secs(600), rebuild(state, year)).await?;
    Ok(())
}

/// Builds a year's board from the database as a new generation, then makes it current.
pub async fn rebuild(state: &AppState, year: i32) -> AppResult<usize> {
    let started = state.now();
    let generation =
        state.cache.incr(&pointer(year, "generations"), std::time::Duration::from_secs(10 * 366 * 86_400)).await?;
    state.cache.set(&pointer(year, "building"), &generation.to_string(), None).await?;
    let b = board(year, generation);
    let (mut after, mut n) = (0i64, 0usize);
    loop {
        // Every deputy's version is the outbox position when the read began: a later change
        // (a higher outbox id) wins over this snapshot, an earlier one never overwrites it.
        let (version, page) =
            db::run(&state.db, move |c| Ok((store::outbox_position(c)?, store::totals_page(c, year, after, 2000)?)))
                .await?;
        let Some(last) = page.last().map(|p| p.0) else { break };
        let v: HashMap<(i64, i32), i64> = page.iter().map(|(d, _)| ((*d, year), version)).collect();
        let pairs: Vec<(i64, i32)> = v.keys().copied().collect();
        let p = db::run(&state.db, move |c| puts(c, &pairs, &v)).await?.remove(&year).unwrap_or_default();
        for chunk in in_generation(&p, year, generation).chunks(500) {
            state.cache.board_put(&b, chunk).await?;
        }
        n += page.len();
        after = last;
    }
    let old = generation_swap(state, year, generation).await?;
    if let Some(old) = old.filter(|o| *o != generation) {
        state.cache.board_drop(&board(year, old)).await?;
    }
    // Awards recorded while the board was read may have been drained into the old board only.
    let recent = db::run(&state.db, move |c| store::deputies_recorded_since(c, year, started)).await?;
    let version = db::run(&state.db, store::outbox_position).await?;
    let v: HashMap<(i64, i32), i64> = recent.iter().map(|d| ((*d, year), version)).collect();
    let pairs: Vec<(i64, i32)> = v.keys().copied().collect();
    let p = db::run(&state.db, move |c| puts(c, &pairs, &v)).await?.remove(&year).unwrap_or_default();
    state.cache.board_put(&b, &in_generation(&p, year, generation)).await?;
    tracing::info!(year, generation, deputies = n, "leaderboard rebuilt");
    Ok(n)
}

async fn generation_swap(state: &AppState, year: i32, new: i64) -> AppResult<Option<i64>> {
    let old = generation(state, year, "current").await?;
    state.cache.set(&pointer(year, "current"), &new.to_string(), None).await?;
    state.cache.del(&pointer(year, "building")).await?;
    Ok(old)
}

/// One ranking read from a year's board; `None` when the year has no board yet.
pub struct BoardRead {
    /// (deputy, points, rank) of the top N.
    pub top: Vec<(i64, i64, usize)>,
    pub ranked: u64,
    /// (points, how many have more, how many have at most as many).
    pub me: Option<(i64, u64, u64)>,
}

pub async fn read(
    state: &AppState,
    year: i32,
    scope: &str,
    limit: usize,
    me: Option<i64>,
) -> AppResult<Option<BoardRead>> {
    let me_s = me.map(|d| d.to_string());
    let (pointer, prefix) = (pointer(year, "current"), generations(year));
    let n = limit as u64;
    // A top list read within the board's cycle is reused: then only my place is asked for.
    let kept = state.ledger.kept_list(year, scope, n);
    let q = BoardQuery {
        pointer: &pointer,
        board: &prefix,
        scope,
        n: if kept.is_some() { 0 } else { n },
        member: me_s.as_deref(),
        bucket: M,
    };
    let mut found = state.cache.board_read(q).await?;
    if let (Some(k), Some(page)) = (&kept, &found) {
        if k.0 != page.generation {
            // Rebuilt meanwhile: the kept list is of another generation.
            found = state.cache.board_read(BoardQuery { n, ..q }).await?;
        }
    }
    let Some(mut page) = found else {
        // Build it in the background; SQL answers meanwhile.
        let st = state.clone();
        tokio::spawn(async move {
            if let Err(e) = ensure(&st, year).await {
                tracing::warn!(error = %e, year, "leaderboard build failed");
            }
        });
        return Ok(None);
    };
    match kept {
        Some(k) if k.0 == page.generation => page.top = k.1.clone(),
        _ => state.ledger.keep_list(year, scope, n, std::sync::Arc::new((page.generation, page.top.clone()))),
    }
    // Everyone above a listed total is listed too, so the page ranks itself (as the SQL top does).
    let listed: Vec<(i64, i64)> = page.top.iter().map(|(m, s)| (m.parse().unwrap_or(0), points_of(*s))).collect();
    let me = page.score.map(|s| (points_of(s), page.above, page.at_most));
    Ok(Some(BoardRead { top: crate::ledger::rules::ranked(&listed), ranked: page.len, me }))
}
