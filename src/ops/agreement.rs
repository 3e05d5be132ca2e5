//! Settings that every instance on one database must share, because each instance's workers act
//! on them against shared rows: the ranking mode (the ranking outbox is applied to leaderboards,
//! to ranking tables, or only emptied) and whether Redis carries the leaderboards, the bus and
//! the rate limits. The first instance records them; a later one that differs refuses to start,
//! naming the setting — unless started with `LVZHI_ADOPT_SETTINGS=true`, which records its
//! values (for a change made on every instance at once).

use crate::config::{Rankings, Settings};
use crate::db::schema::installation_settings as is;
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// (name, the environment variable that sets it, this instance's value).
pub fn shared(s: &Settings) -> Vec<(&'static str, &'static str, String)> {
    let rankings = match s.rankings {
        Rankings::SortedSets => "sorted_sets",
        Rankings::Sql => "sql",
        Rankings::SqlScan => "sql_scan",
    };
    let cache = if s.redis_url.is_some() { "redis" } else { "in_process" };
    vec![("rankings", "LVZHI_RANKINGS", rankings.to_string()), ("cache", "REDIS_URL", cache.to_string())]
}

/// The first difference between `mine` and what the database records, as the message that
/// refuses the start; `None` when they agree (or nothing is recorded yet).
pub fn disagreement(mine: &[(&str, &str, String)], recorded: &[(String, String)]) -> Option<String> {
    mine.iter().find_map(|(name, var, value)| {
        let theirs = recorded.iter().find(|(n, _)| n == name).map(|(_, v)| v)?;
        (theirs != value).then(|| {
            format!(
                "{var} gives {name} = `{value}` here, but the instances on this database use `{theirs}`: set it alike on every instance, \
                 or start with LVZHI_ADOPT_SETTINGS=true once every instance has the new value"
            )
        })
    })
}

/// Checks this instance's shared settings against the database's record, recording them when
/// they are new (or adopted).
pub fn agree(c: &mut AnyConnection, s: &Settings, adopt: bool, now: NaiveDateTime) -> AppResult<Result<(), String>> {
    let mine = shared(s);
    let recorded: Vec<(String, String)> = is::table.select((is::name, is::value)).load(c)?;
    if !adopt {
        if let Some(why) = disagreement(&mine, &recorded) {
            return Ok(Err(why));
        }
    }
    for (name, _, value) in &mine {
        let known = recorded.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        match known {
            None => {
                diesel::insert_into(is::table)
                    .values((is::name.eq(*name), is::value.eq(value), is::updated_at.eq(now)))
                    .execute(c)?;
            }
            Some(v) if v != value => {
                tracing::warn!(setting = *name, from = %v, to = %value, "adopting a new shared setting for every instance on this database");
                diesel::update(is::table.find(*name)).set((is::value.eq(value), is::updated_at.eq(now))).execute(c)?;
            }
            Some(_) => {}
        }
    }
    Ok(Ok(()))
}

/// Checks, at the start of `serve`, that this instance agrees with the others on its database
/// (see the module); the message names the setting that differs. Tools (`lvzhi verify-ledger`,
/// `migrate`, …) do not check: they act on no shared rows.
pub async fn check(state: &crate::state::AppState) -> Result<(), String> {
    let (s, now) = (state.settings.clone(), state.now());
    crate::db::run(&state.db, move |c| agree(c, &s, s.adopt_settings, now)).await.map_err(|e| e.to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_difference_is_named_by_its_variable() {
        let mine = vec![("rankings", "LVZHI_RANKINGS", "sql".to_string()), ("cache", "REDIS_URL", "redis".to_string())];
        assert_eq!(disagreement(&mine, &[]), None);
        assert_eq!(disagreement(&mine, &[("rankings".into(), "sql".into()), ("cache".into(), "redis".into())]), None);
        let why =
            disagreement(&mine, &[("rankings".into(), "sql".into()), ("cache".into(), "in_process".into())]).unwrap();
        assert!(why.starts_with("REDIS_URL gives cache = `redis` here") && why.contains("`in_process`"), "{why}");
    }
}
