//! SQL of the rulebook: rule versions per congress (region 0 is the installation's default).

use crate::db::schema::point_rules as r;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::ledger::rules::DEFAULT_RULES;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable)]
pub struct RuleRow {
    pub id: i64,
    pub region_id: i64,
    pub version: i32,
    pub code: String,
    pub name: String,
    pub category: String,
    pub points: i32,
    pub yearly_cap: Option<i32>,
    pub daily_cap: Option<i32>,
    pub needs_review: bool,
    pub clause: String,
    pub effective_from: Option<String>,
    pub effective_to: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Installs the default rulebook (region 0, version 1) when it is missing, and a rule added to
/// it since (a new point source) when the installation's rulebook has no rule of that code.
pub fn ensure_default_rules(conn: &mut AnyConnection, now: NaiveDateTime) -> AppResult<()> {
    let have: Vec<String> = r::table.filter(r::region_id.eq(0)).select(r::code).distinct().load(conn)?;
    for (code, name, category, points, yearly, daily, review, clause) in DEFAULT_RULES {
        if have.iter().any(|c| c == code) {
            continue;
        }
        diesel::insert_into(r::table)
            .values((
                r::region_id.eq(0),
                r::version.eq(1),
                r::code.eq(code),
                r::name.eq(name),
                r::category.eq(category),
                r::points.eq(points),
                r::yearly_cap.eq(yearly),
                r::daily_cap.eq(daily),
                r::needs_review.eq(review),
                r::clause.eq(clause),
                r::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The rule in force for `code` on `day` for a deputy of the congress at `path` (inherited from
/// the nearest congress above that has one, else the installation's default).
pub fn rule_in_force(conn: &mut AnyConnection, code: &str, path: &str, day: &str) -> AppResult<Option<RuleRow>> {
    let book = rules_for(conn, &[code], &crate::ledger::rules::path_ids(path))?;
    Ok(crate::ledger::rules::pick(&book, code, day, path).cloned())
}

/// The rulebook in force on `day` for the congress at `path`: per code, the rule [`rule_in_force`]
/// would pick, in code order.
pub fn rulebook_at(conn: &mut AnyConnection, path: &str, day: &str) -> AppResult<Vec<RuleRow>> {
    let mut regions = crate::ledger::rules::path_ids(path);
    regions.push(0);
    let book: Vec<RuleRow> = r::table.filter(r::region_id.eq_any(regions)).load(conn)?;
    let mut codes: Vec<&str> = book.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    Ok(codes.into_iter().filter_map(|code| crate::ledger::rules::pick(&book, code, day, path).cloned()).collect())
}

#[derive(Insertable)]
#[diesel(table_name = r)]
pub struct NewRule<'a> {
    pub region_id: i64,
    pub version: i32,
    pub code: &'a str,
    pub name: &'a str,
    pub category: &'a str,
    pub points: i32,
    pub yearly_cap: Option<i32>,
    pub daily_cap: Option<i32>,
    pub needs_review: bool,
    pub clause: &'a str,
    pub effective_from: Option<&'a str>,
    pub effective_to: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert_rule(conn: &mut AnyConnection, n: &NewRule) -> AppResult<i64> {
    Ok(diesel::insert_into(r::table).values(n).returning(r::id).get_result(conn)?)
}

/// The newest version number of a rule in one congress's rulebook (0: none yet).
pub fn max_version(conn: &mut AnyConnection, region: i64, code: &str) -> AppResult<i32> {
    let v: Option<i32> = r::table
        .filter(r::region_id.eq(region))
        .filter(r::code.eq(code))
        .select(diesel::dsl::max(r::version))
        .first(conn)?;
    Ok(v.unwrap_or(0))
}

pub fn rule(conn: &mut AnyConnection, id: i64) -> AppResult<Option<RuleRow>> {
    Ok(r::table.find(id).first(conn).optional()?)
}

/// Rule versions by id.
pub fn rules_by_id(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<RuleRow>> {
    Ok(r::table.filter(r::id.eq_any(ids)).load(conn)?)
}

/// Every version of these rules in the default rulebook and in these congresses.
pub fn rules_for(conn: &mut AnyConnection, codes: &[&str], regions: &[i64]) -> AppResult<Vec<RuleRow>> {
    let mut regions = regions.to_vec();
    regions.push(0);
    let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
    let (codes, regions) =
        (crate::db::any_of::any_of(r::code, codes), crate::db::any_of::any_of(r::region_id, regions));
    Ok(crate::per_backend!(&mut *conn, |c| r::table.filter(codes).filter(regions).load(c))?)
}
