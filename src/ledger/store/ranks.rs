//! SQL of rankings: top totals in a scope, a deputy's standing, absences, and the outbox of
//! changed totals that the leaderboards follow.

use crate::db::schema::{ledger_entries as e, ledger_rank_outbox as o, ledger_totals as t};
use crate::db::schema::{regions as rg, seats as se};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::AppResult;
use diesel::prelude::*;

/// Who a ranking covers: deputies with a seat under a region path pattern (`/%` = everyone), of
/// a level, in a group.
#[derive(Debug, Clone)]
pub struct RankScope {
    pub pattern: String,
    pub level: Option<String>,
    pub group: Option<i64>,
}

impl RankScope {
    fn everyone(&self) -> bool {
        self.pattern == "/%" && self.level.is_none() && self.group.is_none()
    }

    /// Narrows a query over totals to the scope's members, row by row (EXISTS): for reading the
    /// top of the ranking, which stops after a few rows.
    fn narrow_each<'a, ST: 'a>(&self, q: t::BoxedQuery<'a, MultiBackend, ST>) -> t::BoxedQuery<'a, MultiBackend, ST> {
        use diesel::dsl::exists;
        match self.group {
            Some(g) => q.filter(exists(se::table.filter(se::deputy_id.eq(t::deputy_id)).filter(se::group_id.eq(g)))),
            None if self.everyone() => q,
            None => q.filter(exists(
                se::table
                    .inner_join(rg::table)
                    .filter(se::deputy_id.eq(t::deputy_id))
                    .filter(rg::path.like(self.pattern.clone()))
                    .filter(se::level.like(self.level.clone().unwrap_or_else(|| "%".into()))),
            )),
        }
    }

    /// Narrows a query over totals to the scope's members, the member list built once (IN): for
    /// counting the whole scope.
    fn narrow<'a, ST: 'a>(&self, q: t::BoxedQuery<'a, MultiBackend, ST>) -> t::BoxedQuery<'a, MultiBackend, ST> {
        match self.group {
            Some(g) => q.filter(t::deputy_id.eq_any(se::table.filter(se::group_id.eq(g)).select(se::deputy_id))),
            None if self.everyone() => q,
            None => q.filter(
                t::deputy_id.eq_any(
                    se::table
                        .inner_join(rg::table)
                        .filter(rg::path.like(self.pattern.clone()))
                        .filter(se::level.like(self.level.clone().unwrap_or_else(|| "%".into())))
                        .select(se::deputy_id),
                ),
            ),
        }
    }
}

/// Top `limit` (deputy, points) of a year in the scope, highest first; equal totals by deputy id.
pub fn top(conn: &mut AnyConnection, year: i32, scope: &RankScope, limit: i64) -> AppResult<Vec<(i64, i64)>> {
    let q = t::table
        .filter(t::year.eq(year))
        .order((t::points.desc(), t::deputy_id))
        .limit(limit)
        .select((t::deputy_id, t::points))
        .into_boxed();
    // A short list walks the (year, points) index and checks membership row by row; the whole
    // scope builds the member list once.
    Ok(if limit <= 1000 { scope.narrow_each(q) } else { scope.narrow(q) }.load(conn)?)
}

pub const EXCUSED: [&str; 1] = ["meeting_excused"];
pub const UNEXCUSED: [&str; 4] = ["meeting_absent", "training_absent", "group_activity_absent", "duty_no_show"];

/// (excused, unexcused) absences of a year per deputy, not counting reversed entries.
pub fn absences(
    conn: &mut AnyConnection,
    deputies: &[i64],
    year: i32,
) -> AppResult<std::collections::HashMap<i64, (i64, i64)>> {
    // The absence entries of these deputies this year (index `ledger_entries_year`, which holds the
    // rule code: only matching entries are read), then which of them were reversed (the unique
    // index on `reverses`). Reversal entries themselves carry `reverses` and are left out in
    // memory: a `reverses IS NULL` filter would make SQLite walk the index on `reverses`.
    let rows: Vec<(i64, i64, String, Option<i64>)> = e::table
        .filter(e::year.eq(year))
        .filter(e::deputy_id.eq_any(deputies.to_vec()))
        .filter(e::rule_code.eq_any(EXCUSED.iter().chain(UNEXCUSED.iter()).map(|s| s.to_string()).collect::<Vec<_>>()))
        .select((e::id, e::deputy_id, e::rule_code, e::reverses))
        .load(conn)?;
    let rows: Vec<(i64, i64, String)> =
        rows.into_iter().filter(|r| r.3.is_none()).map(|(id, d, c, _)| (id, d, c)).collect();
    let mut out: std::collections::HashMap<i64, (i64, i64)> = std::collections::HashMap::new();
    if rows.is_empty() {
        return Ok(out);
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let reversed = super::reversals_of(conn, &ids)?;
    for (_, d, code) in rows.into_iter().filter(|r| !reversed.contains_key(&r.0)) {
        let v = out.entry(d).or_default();
        if EXCUSED.contains(&code.as_str()) {
            v.0 += 1;
        } else {
            v.1 += 1;
        }
    }
    Ok(out)
}

/// The deputy's total of the year, when they have one and are in the scope.
pub fn member_total(conn: &mut AnyConnection, year: i32, scope: &RankScope, deputy: i64) -> AppResult<Option<i64>> {
    let q = t::table.filter(t::year.eq(year)).filter(t::deputy_id.eq(deputy)).select(t::points).into_boxed();
    Ok(scope.narrow_each(q).first(conn).optional()?)
}

/// (deputies ranked in scope, how many have more than `points`, how many have at most `points`):
/// one pass over the scope, grouped by total.
pub fn standing(conn: &mut AnyConnection, year: i32, scope: &RankScope, points: i64) -> AppResult<(i64, i64, i64)> {
    let base = t::table.filter(t::year.eq(year));
    let counted = (t::points, diesel::dsl::count_star());
    let groups: Vec<(i64, i64)> = match scope.group {
        Some(g) => base
            .filter(t::deputy_id.eq_any(se::table.filter(se::group_id.eq(g)).select(se::deputy_id)))
            .group_by(t::points)
            .select(counted)
            .load(conn)?,
        None if scope.everyone() => base.group_by(t::points).select(counted).load(conn)?,
        None => base
            .filter(
                t::deputy_id.eq_any(
                    se::table
                        .inner_join(rg::table)
                        .filter(rg::path.like(scope.pattern.clone()))
                        .filter(se::level.like(scope.level.clone().unwrap_or_else(|| "%".into())))
                        .select(se::deputy_id),
                ),
            )
            .group_by(t::points)
            .select(counted)
            .load(conn)?,
    };
    let ranked: i64 = groups.iter().map(|g| g.1).sum();
    let above: i64 = groups.iter().filter(|g| g.0 > points).map(|g| g.1).sum();
    Ok((ranked, above, ranked - above))
}

/// The yearly totals of (deputy, year) pairs that have one.
/// On PostgreSQL the pairs go in as two arrays joined through `unnest`: one probe of the primary
/// key per pair, whatever the statistics say. (`deputy_id = ANY($1) AND year = ANY($2)` kept the
/// generic plan made while the table was small — a scan testing every row against both arrays —
/// and took 3–40 ms per drain of the ranking outbox under the award load, 370 times in 10 s.)
pub fn totals_of(conn: &mut AnyConnection, pairs: &[(i64, i32)]) -> AppResult<Vec<((i64, i32), i64)>> {
    let deputies: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    let years: Vec<i32> = pairs.iter().map(|p| p.1).collect();
    let rows: Vec<(i64, i32, i64)> = match conn {
        AnyConnection::Pg(pg) => {
            use diesel::sql_types::{Array, BigInt, Bool, Integer};
            let of_pairs = diesel::dsl::sql::<Bool>("(deputy_id, year) IN (SELECT * FROM unnest(")
                .bind::<Array<BigInt>, _>(deputies)
                .sql(", ")
                .bind::<Array<Integer>, _>(years)
                .sql("))");
            t::table.filter(of_pairs).select((t::deputy_id, t::year, t::points)).load(pg)?
        }
        AnyConnection::Sqlite(sq) => {
            use crate::db::any_of::any_of;
            t::table
                .filter(any_of(t::deputy_id, deputies))
                .filter(any_of(t::year, years))
                .select((t::deputy_id, t::year, t::points))
                .load(sq)?
        }
    };
    let want: std::collections::HashSet<(i64, i32)> = pairs.iter().copied().collect();
    Ok(rows.into_iter().filter(|r| want.contains(&(r.0, r.1))).map(|(d, y, p)| ((d, y), p)).collect())
}

/// A page of a year's totals in deputy order, after `after`.
pub fn totals_page(conn: &mut AnyConnection, year: i32, after: i64, limit: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(t::table
        .filter(t::year.eq(year))
        .filter(t::deputy_id.gt(after))
        .order(t::deputy_id)
        .limit(limit)
        .select((t::deputy_id, t::points))
        .load(conn)?)
}

/// Records that these (deputy, year) totals changed (in the change's transaction).
pub fn dirty(conn: &mut AnyConnection, pairs: &[(i64, i32)]) -> AppResult<()> {
    if pairs.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = pairs.iter().map(|(d, y)| (o::deputy_id.eq(*d), o::year.eq(*y))).collect();
    crate::in_batches!(&mut *conn, rows, |c, batch| diesel::insert_into(o::table).values(batch).execute(c)?);
    Ok(())
}

/// Records that these deputies moved (every year they have a total).
pub fn dirty_all_years(conn: &mut AnyConnection, deputies: &[i64]) -> AppResult<()> {
    let pairs: Vec<(i64, i32)> =
        t::table.filter(t::deputy_id.eq_any(deputies)).select((t::deputy_id, t::year)).load(conn)?;
    dirty(conn, &pairs)
}

/// The oldest pending outbox rows: (id, deputy, year).
pub fn outbox(conn: &mut AnyConnection, limit: i64) -> AppResult<Vec<(i64, i64, i32)>> {
    Ok(o::table.order(o::id).limit(limit).select((o::id, o::deputy_id, o::year)).load(conn)?)
}

pub fn outbox_done(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<()> {
    crate::per_backend!(&mut *conn, |c| diesel::delete(
        o::table.filter(crate::db::any_of::any_of(o::id, ids.to_vec()))
    )
    .execute(c))?;
    Ok(())
}

/// The newest outbox id (0 when empty).
pub fn outbox_position(conn: &mut AnyConnection) -> AppResult<i64> {
    Ok(o::table.select(diesel::dsl::max(o::id)).first::<Option<i64>>(conn)?.unwrap_or(0))
}

/// Deputies with entries of `year` recorded at or after `since`.
pub fn deputies_recorded_since(
    conn: &mut AnyConnection,
    year: i32,
    since: chrono::NaiveDateTime,
) -> AppResult<Vec<i64>> {
    Ok(e::table.filter(e::year.eq(year)).filter(e::recorded_at.ge(since)).select(e::deputy_id).distinct().load(conn)?)
}
