//! Computing the coverage: the seats under a congress in one query, then one set-valued query
//! per obligation through the capability that owns it; and a deputy's own coverage.

use crate::coverage::model::{DeputyCoverage, OwnObligation};
use crate::coverage::rules::{self, GRASSROOTS, OBLIGATIONS};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What the computation needs besides the congress: today, and the initial training period.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    pub today: NaiveDate,
    pub initial_days: i64,
}

/// A deputy of the population.
pub struct Person {
    pub grassroots: bool,
    pub start: NaiveDate,
}

/// The coverage of a congress and term: per obligation (in [`OBLIGATIONS`] order) who it is due
/// from and who covered it.
pub struct Computed {
    pub term: i32,
    pub years: (i32, i32),
    pub people: BTreeMap<i64, Person>,
    pub obligations: Vec<(BTreeSet<i64>, HashSet<i64>)>,
}

fn new_year(y: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default()
}

/// The congress's id: the last segment of its path (`/1/5/` → 5).
fn region_of(path: &str) -> Option<i64> {
    path.trim_end_matches('/').rsplit('/').next().and_then(|s| s.parse().ok())
}

fn population(c: &mut AnyConnection, path: &str, term: Option<i32>) -> AppResult<(i32, BTreeMap<i64, Person>)> {
    let seats = crate::org::active_seats_under(c, path)?;
    let me = region_of(path);
    let own = seats.iter().filter(|s| Some(s.region_id) == me).map(|s| s.term).max();
    let current = own.or_else(|| seats.iter().map(|s| s.term).max());
    let term = match (term, current) {
        (Some(t), Some(now)) if t != now => {
            return Err(AppError::invalid_field("term", "not_current", format!("the congress's term now is {now}")))
        }
        (Some(t), _) => t,
        (None, Some(now)) => now,
        (None, None) => 1,
    };
    let mut people: BTreeMap<i64, Person> = BTreeMap::new();
    for s in seats {
        let start = s
            .status_date
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or(s.created_at.date());
        let grassroots = GRASSROOTS.contains(&s.level.as_str());
        let p = people.entry(s.deputy_id).or_insert(Person { grassroots, start });
        p.grassroots |= grassroots;
        p.start = p.start.min(start);
    }
    Ok((term, people))
}

/// The coverage of the congress at `path` (and those below) in its current term.
pub fn compute(c: &mut AnyConnection, path: &str, term: Option<i32>, s: Setup) -> AppResult<Computed> {
    let (term, people) = population(c, path, term)?;
    let years = rules::term_years(crate::ledger::duty_report_due_year(c, path)?, s.today);
    let span = (new_year(years.0), new_year(years.1 + 1));
    let year = s.today.year();
    let this_year = (new_year(year), new_year(year + 1));
    let all: BTreeSet<i64> = people.keys().copied().collect();
    let linked = crate::liaison::linked_under(c, path)?;
    let days = (format!("{year}-01-01"), format!("{}-01-01", year + 1));
    let contacted = crate::liaison::contacted_under(c, path, (&days.0, &days.1))?;
    let on_schedule = crate::contacts::on_schedule(c, path, s.today)?;
    let mut trained = crate::training::completed_between(c, path, span.0, span.1)?;
    trained.extend(crate::checkins::attended_counts(c, "training", path, span)?.into_keys());
    let initial = crate::training::completed_initial(c, path)?;
    let (mut initial_due, mut initial_done) = (BTreeSet::new(), HashSet::new());
    for (d, p) in people.iter().filter(|(_, p)| p.start >= span.0.date()) {
        let (due, by) = rules::initial_due(p.start, s.initial_days, s.today);
        let done = initial.get(d).is_some_and(|t| t.date() <= by);
        if due || done {
            initial_due.insert(*d);
        }
        if done {
            initial_done.insert(*d);
        }
    }
    let sat_in = crate::checkins::attended_counts(c, "sitting_in", path, span)?.into_keys().collect();
    let grassroots: BTreeSet<i64> = people.iter().filter(|(_, p)| p.grassroots).map(|(d, _)| *d).collect();
    let reported = crate::reports::delivered_under(c, path, span.0, span.1)?;
    let min = i64::from(crate::ledger::min_group_activities(c, path)?);
    let groups = crate::checkins::attended_counts(c, "group_activity", path, this_year)?
        .into_iter()
        .filter(|(_, n)| *n >= min)
        .map(|(d, _)| d)
        .collect();
    let linked_due: BTreeSet<i64> = all.iter().copied().filter(|d| linked.contains(d)).collect();
    let obligations = vec![
        (all.clone(), linked),
        (linked_due, contacted),
        (all.clone(), on_schedule),
        (all.clone(), trained),
        (initial_due, initial_done),
        (grassroots, sat_in),
        (all.clone(), reported),
        (all, groups),
    ];
    Ok(Computed { term, years, people, obligations })
}

/// A deputy's own coverage in the term of their most local congress (None: no active seat).
pub fn of_deputy(c: &mut AnyConnection, deputy: i64, s: Setup) -> AppResult<Option<DeputyCoverage>> {
    let seats = crate::org::deputy_scopes(c, &[deputy])?.remove(&deputy).unwrap_or_default();
    if !seats.iter().any(|x| x.status == "active") {
        return Ok(None);
    }
    let path = crate::org::congress_path(&seats);
    let all = compute(c, &path, None, s)?;
    let obligations = OBLIGATIONS
        .iter()
        .zip(all.obligations.iter())
        .map(|((code, name), (due, covered))| OwnObligation {
            code: code.to_string(),
            name: name.to_string(),
            status: if covered.contains(&deputy) {
                "covered"
            } else if due.contains(&deputy) {
                "missing"
            } else {
                "not_due"
            }
            .into(),
        })
        .collect();
    Ok(Some(DeputyCoverage { term: all.term, years: all.years, obligations }))
}
