//! Reading a ranking: the scope from the query (the caller's own, a region subtree, a level, a
//! group), then the leaderboards or the ranking tables, or a scan in SQL when they are off or away.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::Principal;
use crate::config::Rankings;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::ledger::model::{MyRank, RankedDeputy, Ranking, RankingQuery};
use crate::ledger::store;
use crate::state::AppState;

/// The ranking of `year` for the (validated) query, with `limit` listed.
pub async fn read(state: &AppState, p: Principal, q: RankingQuery, year: i32, limit: usize) -> AppResult<Ranking> {
    // Third-party clients read rankings with `ledger:read`, inside their region.
    let p = policy::as_reader(&p, policy::SCOPE_LEDGER_READ)?;
    let (region_id, level, group_id) = (q.region_id, q.level.clone(), q.group_id);
    let scope = match (group_id, region_id) {
        // The caller's own scope needs nothing from the database (the token carries it).
        (None, None) => store::RankScope {
            pattern: crate::org::scope_pattern(&policy::list_filter(&p, Kind::Deputy)?),
            level,
            group: None,
        },
        _ => {
            let p2 = p.clone();
            db::run(&state.db, move |c| {
                let pattern = match group_id {
                    Some(g) => {
                        let path = crate::org::group_path(c, g)?.ok_or_else(AppError::not_found)?;
                        policy::authorize(&p2, Action::Read, &Target::new(Kind::Group, path))?;
                        "/%".to_string()
                    }
                    None => crate::org::scope_pattern(&crate::org::narrowed_filter(c, &p2, Kind::Deputy, region_id)?),
                };
                Ok(store::RankScope { pattern, level, group: group_id })
            })
            .await?
        }
    };
    // The region of the scope (its path's last id) names its board.
    let region = (scope.pattern != "/%")
        .then(|| crate::ledger::rules::path_ids(scope.pattern.trim_end_matches('%')).last().copied())
        .flatten();
    let board_scope = super::scopes::scope_name(region, scope.level.as_deref(), scope.group);
    let from_board = match state.settings.rankings {
        // The cache away or hanging: the database's totals answer (they never lag).
        Rankings::SortedSets => match super::board::read(state, year, &board_scope, limit, p.deputy_id).await {
            Ok(b) => b.map(|b| ("sorted_sets", b)),
            Err(e) => {
                tracing::warn!(error = %e, "the leaderboard could not be read; ranking from the database");
                None
            }
        },
        Rankings::Sql => super::tables::read(state, year, board_scope, limit, p.deputy_id).await?.map(|b| ("sql", b)),
        Rankings::SqlScan => None,
    };
    let me_id = p.deputy_id;
    // From the board only the listed deputies' names and absences are read (a short read, or
    // none when this top list's details are kept); without it the SQL ranks the whole scope.
    let cache = state.ledger.clone();
    let r = match from_board {
        Some((source, b)) => {
            let d = match cache.kept_top_details(year, &b.top) {
                Some(d) => d,
                None => {
                    let top = b.top.clone();
                    db::read(&state.db, move |c| cache.top_details(c, year, &top)).await?
                }
            };
            let me = b.me.map(|(pts, above, at_most)| (pts, above as i64, at_most as i64));
            ranking_of(year, source, b.top, b.ranked as i64, me, &d)
        }
        None => {
            db::run(&state.db, move |c| {
                let rows = store::top(c, year, &scope, limit as i64)?;
                // Everyone above a listed total is listed too, so the list ranks itself.
                let top = crate::ledger::rules::ranked(&rows);
                let my_total = match me_id {
                    Some(me) => store::member_total(c, year, &scope, me)?,
                    None => None,
                };
                let (n, me) = match my_total {
                    Some(pts) => {
                        let (n, above, at_most) = store::standing(c, year, &scope, pts)?;
                        (n, Some((pts, above, at_most)))
                    }
                    None => (store::standing(c, year, &scope, i64::MAX)?.0, None),
                };
                let d = cache.top_details(c, year, &top)?;
                Ok(ranking_of(year, "sql_scan", top, n, me, &d))
            })
            .await?
        }
    };
    Ok(r)
}

/// A ranking from its top list — (deputy, points, rank) —, the number ranked, the caller's
/// (points, how many above, how many at most) and the top list's names and absences.
fn ranking_of(
    year: i32,
    source: &str,
    top: Vec<(i64, i64, usize)>,
    ranked: i64,
    me: Option<(i64, i64, i64)>,
    details: &crate::ledger::cache::TopDetails,
) -> Ranking {
    let (names, absent) = (&details.0, &details.1);
    let top = top
        .iter()
        .map(|(d, pts, rank)| {
            let (excused, unexcused) = absent.get(d).copied().unwrap_or_default();
            RankedDeputy {
                rank: *rank,
                deputy_id: *d,
                name: names.get(d).cloned().unwrap_or_default(),
                points: *pts,
                excused_absences: excused,
                unexcused_absences: unexcused,
            }
        })
        .collect();
    let me = me.filter(|_| ranked > 0).map(|(pts, above, at_most)| MyRank {
        rank: above as usize + 1,
        points: pts,
        percentile: (at_most as f64 * 1000.0 / ranked as f64).round() / 10.0,
    });
    Ranking { year, source: source.into(), deputies_ranked: ranked as usize, top, me }
}
