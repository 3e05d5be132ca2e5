//! What other capabilities read of duty reports: who has reported in a span of years (the annual
//! evaluation), and a deputy's delivered reports with their results (the duty archive).

use super::rules::{Tally, FLAG_SHARE};
use super::store::{self, ratings, tallies};
use crate::db::{utc, AnyConnection};
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;

/// A delivered report as the duty archive keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DeliveredReport {
    pub report_id: i64,
    pub term: i32,
    pub delivered_at: DateTime<Utc>,
    pub ratings: i64,
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub unsatisfied: i64,
    /// More than half unsatisfied: listed for a talk.
    pub flagged: bool,
}

/// A report's ratings: those given on phones and the approved paper ballots.
pub(in crate::reports) fn tally(c: &mut AnyConnection, report: i64) -> AppResult<Tally> {
    let mut rows = ratings::counts(c, report)?;
    rows.extend(tallies::approved_counts(c, report)?);
    Ok(Tally::from_counts(&rows))
}

fn new_year(y: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default()
}

/// Of `deputies`, those who delivered a report in the years `from..=to`.
pub fn delivered_between(c: &mut AnyConnection, deputies: &[i64], from: i32, to: i32) -> AppResult<HashSet<i64>> {
    store::delivered_by(c, deputies, new_year(from), new_year(to + 1))
}

/// A deputy's reports delivered in `from..to`, with their results.
pub fn delivered_in(
    c: &mut AnyConnection,
    deputy: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> AppResult<Vec<DeliveredReport>> {
    let mut out = vec![];
    for r in store::delivered_of(c, deputy, from, to)? {
        let t = tally(c, r.id)?;
        out.push(DeliveredReport {
            report_id: r.id,
            term: r.term,
            delivered_at: utc(r.delivered_at.unwrap_or(r.updated_at)),
            ratings: t.total(),
            satisfied: t.satisfied,
            basically_satisfied: t.basically_satisfied,
            unsatisfied: t.unsatisfied,
            flagged: t.flagged(FLAG_SHARE),
        });
    }
    Ok(out)
}
