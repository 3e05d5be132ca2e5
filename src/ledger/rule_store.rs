//! SQL of the rulebook: rule versions per congress (region 0 is the installation's default).

use super::rules::DEFAULT_RULES;
use crate::db::schema::point_rules as r;
use crate::db::AnyConnection;
use crate::error::AppResult;
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

/// Installs the default rulebook (region 0, version 1) when it is missing.
pub fn ensure_default_rules(conn: &mut AnyConnection, now: NaiveDateTime) -> AppResult<()> {
    let have: i64 = r::table.filter(r::region_id.eq(0)).count().get_result(conn)?;
    if have > 0 {
        return Ok(());
    }
    for (code, name, category, points, yearly, daily, review, clause) in DEFAULT_RULES {
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

/// The newest version of a rule in the default rulebook.
pub fn current_rule(conn: &mut AnyConnection, code: &str) -> AppResult<Option<RuleRow>> {
    Ok(r::table.filter(r::region_id.eq(0)).filter(r::code.eq(code)).order(r::version.desc()).first(conn).optional()?)
}

/// The newest version of a rule in effect on `day` (YYYY-MM-DD in the congress time zone).
pub fn rule_on(conn: &mut AnyConnection, code: &str, day: &str) -> AppResult<Option<RuleRow>> {
    Ok(r::table
        .filter(r::region_id.eq(0))
        .filter(r::code.eq(code))
        .filter(r::effective_from.is_null().or(r::effective_from.le(day.to_string())))
        .filter(r::effective_to.is_null().or(r::effective_to.ge(day.to_string())))
        .order(r::version.desc())
        .first(conn)
        .optional()?)
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

pub fn max_version(conn: &mut AnyConnection, code: &str) -> AppResult<i32> {
    let v: Option<i32> = r::table.filter(r::region_id.eq(0)).filter(r::code.eq(code)).select(diesel::dsl::max(r::version)).first(conn)?;
    Ok(v.unwrap_or(0))
}

pub fn current_rules(conn: &mut AnyConnection) -> AppResult<Vec<RuleRow>> {
    let all: Vec<RuleRow> = r::table.filter(r::region_id.eq(0)).order((r::code, r::version.desc())).load(conn)?;
    let mut out: Vec<RuleRow> = vec![];
    for rule in all {
        if out.last().is_none_or(|l| l.code != rule.code) {
            out.push(rule);
        }
    }
    Ok(out)
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
    Ok(r::table.filter(r::code.eq_any(codes)).filter(r::region_id.eq_any(regions)).load(conn)?)
}
