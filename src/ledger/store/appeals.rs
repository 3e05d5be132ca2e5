//! SQL of appeals and their message threads.

use crate::db::schema::{ledger_appeal_messages as m, ledger_appeals as a, regions as rg, seats as se};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

// The whole row (loaded column for column), so a few columns are stored but not read here.
#[allow(dead_code)]
#[derive(Debug, Clone, Queryable)]
pub struct AppealRow {
    pub id: i64,
    pub deputy_id: i64,
    pub kind: String,
    pub entry_id: Option<i64>,
    pub year: i32,
    pub description: String,
    pub occurred_on: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
    pub result_entry_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<i64>,
}

/// (id, author, body, at) of a message.
pub type MessageRow = (i64, String, String, NaiveDateTime);

#[derive(Insertable)]
#[diesel(table_name = a, treat_none_as_default_value = false)]
pub struct NewAppeal<'a> {
    pub deputy_id: i64,
    pub kind: &'a str,
    pub entry_id: Option<i64>,
    pub year: i32,
    pub description: &'a str,
    pub occurred_on: Option<&'a str>,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(c: &mut AnyConnection, n: &NewAppeal) -> AppResult<i64> {
    Ok(diesel::insert_into(a::table).values(n).returning(a::id).get_result(c)?)
}

pub fn get(c: &mut AnyConnection, id: i64) -> AppResult<Option<AppealRow>> {
    Ok(a::table.find(id).first(c).optional()?)
}

/// How an appeal was closed.
#[derive(AsChangeset)]
#[diesel(table_name = a, treat_none_as_null = true)]
pub struct Closing<'a> {
    pub status: &'a str,
    pub resolution: &'a str,
    pub resolution_note: &'a str,
    pub result_entry_id: Option<i64>,
    pub resolved_by: i64,
    pub resolved_at: NaiveDateTime,
}

/// Closes an open appeal; false when it was closed meanwhile.
pub fn close(c: &mut AnyConnection, id: i64, how: &Closing) -> AppResult<bool> {
    Ok(diesel::update(a::table.filter(a::id.eq(id)).filter(a::status.eq("open"))).set(how).execute(c)? == 1)
}

pub fn add_message(
    c: &mut AnyConnection,
    appeal: i64,
    author_id: i64,
    author: &str,
    body: &str,
    at: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(m::table)
        .values((
            m::appeal_id.eq(appeal),
            m::author_id.eq(author_id),
            m::author.eq(author),
            m::body.eq(body),
            m::at.eq(at),
        ))
        .returning(m::id)
        .get_result(c)?)
}

pub fn messages(c: &mut AnyConnection, appeal: i64) -> AppResult<Vec<MessageRow>> {
    Ok(m::table.filter(m::appeal_id.eq(appeal)).order(m::id).select((m::id, m::author, m::body, m::at)).load(c)?)
}

pub struct ListFilter {
    pub deputy: Option<i64>,
    pub status: Option<String>,
    pub year: Option<i32>,
    /// Region path pattern of the deputies' seats (`/%` = everyone).
    pub scope: String,
    pub after: i64,
    pub limit: i64,
}

/// Appeals oldest first (a queue), `limit + 1` rows for paging.
pub fn list(c: &mut AnyConnection, f: &ListFilter) -> AppResult<Vec<AppealRow>> {
    let mut q = a::table.filter(a::id.gt(f.after)).order(a::id).limit(f.limit + 1).into_boxed();
    if let Some(d) = f.deputy {
        q = q.filter(a::deputy_id.eq(d));
    }
    if let Some(s) = &f.status {
        q = q.filter(a::status.eq(s.clone()));
    }
    if let Some(y) = f.year {
        q = q.filter(a::year.eq(y));
    }
    if f.scope != "/%" {
        q = q.filter(
            a::deputy_id
                .eq_any(se::table.inner_join(rg::table).filter(rg::path.like(f.scope.clone())).select(se::deputy_id)),
        );
    }
    Ok(q.load(c)?)
}
