//! Rankings kept in the database (`LVZHI_RANKINGS=sql`): for every kept year, each deputy's
//! total once per scope they are ranked in (the scopes of the leaderboards, [`scopes_of`]) and,
//! per scope, how many deputies hold each total. A top list is a short index walk and a place a
//! sum over the scope's distinct totals, so a read costs the same in a county and in the nation,
//! with nothing held in memory.
//!
//! The tables follow the same ranking outbox as the sorted sets ([`follow`], in the drain's
//! transaction, so each change is applied exactly once). A year is kept from the moment its
//! marker row exists: from then on every drain maintains it, and [`build`] brings every deputy
//! of the year to the truth page by page; once it has, reads come from the tables. Until then
//! SQL counts the scope.

use super::board::BoardRead;
use super::scopes::scopes_of;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::ledger::rules::RankRows;
use crate::ledger::store::rank_tables as store;
use crate::state::AppState;
use std::collections::{HashMap, HashSet};

/// Brings the kept rows of these (deputy, year) pairs to the database's truth — their total in
/// each scope of their seats now — inside the caller's transaction. Pairs of years not in `kept`
/// (the kept years, [`store::kept_years`]) are left: nothing reads them, and a build reads the
/// truth.
pub fn follow(c: &mut AnyConnection, pairs: &[(i64, i32)], kept: &HashSet<i32>) -> AppResult<()> {
    let pairs: HashSet<(i64, i32)> = pairs.iter().copied().filter(|p| kept.contains(&p.1)).collect();
    if pairs.is_empty() {
        return Ok(());
    }
    let mut deputies: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    deputies.sort_unstable();
    deputies.dedup();
    // One change of a deputy's rows at a time (PostgreSQL): under the chain-head lock, which
    // their awards take too, so the total read here is the committed one.
    crate::ledger::store::lock_heads(c, &deputies)?;
    let seats = crate::org::deputy_scopes(c, &deputies)?;
    let list: Vec<(i64, i32)> = pairs.iter().copied().collect();
    let totals = crate::ledger::store::ranks::totals_of(c, &list)?;
    let years: Vec<i32> = kept.iter().copied().collect();
    let mut old = store::members_of(c, &deputies, &years)?;
    old.retain(|(y, _, d), _| pairs.contains(&(*d, *y)));
    let mut want = RankRows::new();
    for ((d, y), points) in totals {
        for scope in scopes_of(seats.get(&d).map(Vec::as_slice).unwrap_or_default()) {
            want.insert((y, scope, d), points);
        }
    }
    store::write(c, &crate::ledger::rules::rank_diff(&old, &want))
}

/// Builds a year's tables unless they are built or another builder holds the lock (in the
/// cache, as for the leaderboards; a build left unfinished by a crash is taken up again).
pub async fn ensure(state: &AppState, year: i32) -> AppResult<()> {
    if db::run(&state.db, move |c| store::built(c, year)).await? {
        return Ok(());
    }
    let lock = format!("rank:{{{year}}}:tables-lock");
    state.cache.exclusively(&lock, std::time::Duration::from_secs(600), build(state, year)).await?;
    Ok(())
}

/// Keeps a year and brings every deputy with a total to the truth, 2,000 at a time (each page
/// one transaction; the drains keep what is already done up to date); then marks it built.
/// Idempotent: a rebuild only writes what differs. Answers how many deputies were visited.
pub async fn build(state: &AppState, year: i32) -> AppResult<usize> {
    db::tx(&state.db, move |c| store::keep(c, year)).await?;
    let (mut after, mut n) = (0i64, 0usize);
    loop {
        let page = db::run(&state.db, move |c| crate::ledger::store::ranks::totals_page(c, year, after, 2000)).await?;
        let Some(last) = page.last().map(|p| p.0) else { break };
        let pairs: Vec<(i64, i32)> = page.iter().map(|(d, _)| (*d, year)).collect();
        db::tx(&state.db, move |c| follow(c, &pairs, &HashSet::from([year]))).await?;
        n += page.len();
        after = last;
    }
    let now = state.now();
    db::tx(&state.db, move |c| store::mark_built(c, year, now)).await?;
    tracing::info!(year, deputies = n, "ranking tables built");
    Ok(n)
}

/// One ranking read from a year's tables; `None` (and a build started) when they are not built.
pub async fn read(
    state: &AppState,
    year: i32,
    scope: String,
    limit: usize,
    me: Option<i64>,
) -> AppResult<Option<BoardRead>> {
    let found = db::read(&state.db, move |c| {
        if !store::built(c, year)? {
            return Ok(None);
        }
        let counts: HashMap<i64, i64> = store::counts(c, year, &scope)?.into_iter().collect();
        let ranked: i64 = counts.values().sum();
        let top = store::top(c, year, &scope, limit as i64)?;
        let me = match me {
            Some(d) => store::points_in(c, year, &scope, d)?.map(|p| {
                let above: i64 = counts.iter().filter(|(q, _)| **q > p).map(|(_, n)| n).sum();
                (p, above as u64, (ranked - above) as u64)
            }),
            None => None,
        };
        Ok(Some(BoardRead { top: crate::ledger::rules::ranked(&top), ranked: ranked as u64, me }))
    })
    .await?;
    if found.is_none() {
        let st = state.clone();
        tokio::spawn(async move {
            if let Err(e) = ensure(&st, year).await {
                tracing::warn!(error = %e, year, "ranking tables build failed");
            }
        });
    }
    Ok(found)
}
