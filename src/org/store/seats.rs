//! SQL for where deputies sit, as other capabilities need it: each deputy's seats in brief and
//! the congress whose rules govern their points.

use crate::db::schema::{deputies as d, regions as r, seats as s};
use crate::db::AnyConnection;
use crate::error::AppResult;
use diesel::prelude::*;

/// A seat as other capabilities see it: where, at which level, in which group, in what status.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Queryable)]
pub struct SeatBrief {
    pub path: String,
    pub status: String,
    pub level: String,
    pub group_id: Option<i64>,
}

/// Where each existing deputy of `ids` sits; a deputy without seats maps to an empty list, a
/// missing one is absent. One query for any number of seated deputies, prepared once
/// ([`crate::db::any_of`]: the ledger's writer and the rankings' drain ask for hundreds at a
/// time); a second only for those without a seat (a seat's deputy exists: foreign key).
pub fn deputy_scopes(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, Vec<SeatBrief>>> {
    use crate::db::any_of::any_of;
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let seat_cols = (s::deputy_id, (r::path, s::status, s::level, s::group_id));
    let seats: Vec<(i64, SeatBrief)> = crate::per_backend!(&mut *conn, |c| s::table
        .inner_join(r::table)
        .filter(any_of(s::deputy_id, ids.clone()))
        .select(seat_cols)
        .load(c))?;
    let mut out: std::collections::HashMap<i64, Vec<SeatBrief>> = std::collections::HashMap::with_capacity(ids.len());
    for (id, seat) in seats {
        out.entry(id).or_default().push(seat);
    }
    let seatless: Vec<i64> = ids.into_iter().filter(|id| !out.contains_key(id)).collect();
    if !seatless.is_empty() {
        let found: Vec<i64> =
            crate::per_backend!(&mut *conn, |c| d::table.filter(any_of(d::id, seatless)).select(d::id).load(c))?;
        out.extend(found.into_iter().map(|id| (id, vec![])));
    }
    Ok(out)
}

/// The congress whose rules govern a deputy's duty points: the most local region among the
/// active seats (any seat when none is active); `/` (the installation) without seats.
pub fn congress_path(seats: &[SeatBrief]) -> String {
    let deepest = |active: bool| {
        seats
            .iter()
            .filter(|s| !active || s.status == "active")
            .map(|s| &s.path)
            .max_by_key(|p| p.matches('/').count())
            .cloned()
    };
    deepest(true).or_else(|| deepest(false)).unwrap_or_else(|| "/".into())
}

/// An active seat under a congress, as the coverage view needs it.
#[derive(Debug, Clone, Queryable)]
pub struct SeatUnder {
    pub deputy_id: i64,
    pub region_id: i64,
    pub term: i32,
    pub level: String,
    /// The seat's status date (when it started, for a seat filled during the term), if kept.
    pub status_date: Option<String>,
    pub created_at: chrono::NaiveDateTime,
}

/// Every active seat of a congress at `path` and the congresses below it, one scan joined with
/// the regions (no names: a province's 60,000 seats).
pub fn active_seats_under(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<SeatUnder>> {
    Ok(s::table
        .inner_join(r::table)
        .filter(r::path.like(super::subtree_like(path)))
        .filter(s::status.eq("active"))
        .select((s::deputy_id, s::region_id, s::term, s::level, s::status_date, s::created_at))
        .load(conn)?)
}
