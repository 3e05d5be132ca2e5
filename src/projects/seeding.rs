//! Bulk paths for the demo seeder: a round already voted — participation, ballots under random
//! receipts, the tally counted and published with its digest exactly as closing does — and its
//! adopted projects' units, milestones and progress. Request handlers never use these.

use super::store::{self, votes, works};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;

pub use super::store::works::NewProgress;
pub use super::store::{insert_candidate, insert_round, NewCandidate};

/// Votes a screened round with the given deputies (each approves up to `max` candidates, the
/// earlier ones likelier), closes it with its published tally and moves it to implementing.
pub fn vote_and_close(
    c: &mut AnyConnection,
    round: i64,
    voters: &[i64],
    (adopt, max): (i32, i32),
    seed: u64,
) -> AppResult<()> {
    let r = store::get(c, round)?.ok_or_else(AppError::not_found)?;
    let cands = store::candidates(c, round)?;
    let ids: Vec<i64> = cands.iter().map(|x| x.id).collect();
    store::set_ballot(c, round, (adopt, max, "seated"), &ids)?;
    let seated = crate::org::seated_in_congress(c, &r.region_path)?.len() as i32;
    store::set_opened(c, round, r.event_id, seated)?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut rows = vec![];
    for d in voters {
        votes::participate(c, round, *d, "app")?;
        let mut approved = 0;
        let choices: BTreeMap<String, String> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let yes = approved < max && rng.random_bool(0.9 - 0.15 * i as f64);
                approved += i32::from(yes);
                (
                    id.to_string(),
                    if yes {
                        "approve"
                    } else if rng.random_bool(0.7) {
                        "oppose"
                    } else {
                        "abstain"
                    }
                    .to_string(),
                )
            })
            .collect();
        let receipt = hex::encode(rng.random::<[u8; 16]>());
        rows.push((receipt, serde_json::to_string(&choices).map_err(AppError::internal)?));
    }
    rows.shuffle(&mut rng);
    votes::settle(c, round, &rows)?;
    let r = store::get(c, round)?.ok_or_else(AppError::not_found)?;
    let now = r.created_at;
    super::routes::publish(c, &r, now)?;
    for (from, to) in
        [("collecting", "screening"), ("screening", "voting"), ("voting", "closed"), ("closed", "implementing")]
    {
        store::step(c, round, from, to, now)?;
    }
    Ok(())
}

/// The adopted projects of a round, by rank.
pub fn adopted(c: &mut AnyConnection, round: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(store::adopted(c, round)?.into_iter().map(|x| (x.id, x.title)).collect())
}

/// A project's units, a milestone (with the day it was done, if it was) and a progress report.
pub fn set_units(c: &mut AnyConnection, project: i64, lead: i64, co: &[i64]) -> AppResult<()> {
    works::set_units(c, project, lead, co)
}

pub fn add_milestone(
    c: &mut AnyConnection,
    project: i64,
    (title, due_on, done_on): (&str, &str, Option<&str>),
    now: NaiveDateTime,
) -> AppResult<()> {
    let id = works::add_milestone(c, project, title, due_on, now)?;
    if let Some(d) = done_on {
        works::finish_milestone(c, project, id, d)?;
    }
    Ok(())
}

pub fn add_progress(c: &mut AnyConnection, n: &NewProgress, now: NaiveDateTime) -> AppResult<()> {
    works::add_progress(c, n, now).map(|_| ())
}
