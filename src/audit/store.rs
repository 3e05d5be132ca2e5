//! All SQL of the audit log.

use super::model::{AuditView, Entry};
use crate::auth::policy::RegionFilter;
use crate::db::schema::audit_log as a;
use crate::db::stamp::Stamp;
use crate::db::{utc, AnyConnection};
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Removes rows written before `before` (the database refuses any younger than 183 days).
pub fn purge_before(conn: &mut AnyConnection, before: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::delete(a::table.filter(a::at.lt(before))).execute(conn)?)
}

pub fn insert(conn: &mut AnyConnection, e: &Entry, at: NaiveDateTime) -> AppResult<()> {
    insert_many(conn, &[e], at)
}

/// Writes several audit records with one statement.
pub fn insert_many(conn: &mut AnyConnection, entries: &[&Entry], at: NaiveDateTime) -> AppResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                a::at.eq(Stamp(at)),
                a::actor_id.eq(e.actor_id),
                a::actor.eq(e.actor.clone()),
                a::action.eq(e.action.clone()),
                a::record_type.eq(e.record_type.clone()),
                a::record_id.eq(e.record_id.clone()),
                a::region_path.eq(e.region_path.clone()),
                a::client_ip.eq(e.client_ip.clone()),
                a::outcome.eq(e.outcome.clone()),
                a::detail.eq(e.detail.clone()),
                a::request_id.eq(e.request_id.clone()),
            )
        })
        .collect();
    crate::in_batches!(conn, rows, |c, batch| diesel::insert_into(a::table).values(batch).execute(c)?);
    Ok(())
}

type Row = (
    i64,
    NaiveDateTime,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

pub struct Filter {
    pub scope: RegionFilter,
    pub action: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub actor_id: Option<i64>,
    /// Newest first: rows with id below this.
    pub before: Option<i64>,
    pub limit: i64,
}

pub fn list(conn: &mut AnyConnection, f: &Filter) -> AppResult<Vec<AuditView>> {
    let mut q = a::table.order(a::id.desc()).limit(f.limit + 1).into_boxed();
    if let RegionFilter::Subtree(p) = &f.scope {
        q = q.filter(a::region_path.like(format!("{p}%")));
    }
    if let Some(v) = &f.action {
        q = q.filter(a::action.eq(v.clone()));
    }
    if let Some(v) = &f.record_type {
        q = q.filter(a::record_type.eq(v.clone()));
    }
    if let Some(v) = &f.record_id {
        q = q.filter(a::record_id.eq(v.clone()));
    }
    if let Some(v) = f.actor_id {
        q = q.filter(a::actor_id.eq(v));
    }
    if let Some(b) = f.before {
        q = q.filter(a::id.lt(b));
    }
    let rows: Vec<Row> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| AuditView {
            id: r.0,
            at: utc(r.1),
            actor_id: r.2,
            actor: r.3,
            action: r.4,
            record_type: r.5,
            record_id: r.6,
            client_ip: r.8,
            outcome: r.9,
            detail: r.10,
            request_id: r.11,
        })
        .collect())
}
