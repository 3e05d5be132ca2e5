//! All SQL of opinions and their events.

use crate::db::schema::{
    constituents as k, opinion_events as ev, opinion_publications as op, opinions as o, ticket_days as t,
};
use crate::db::AnyConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

// The whole row (loaded column for column), so a few columns are stored but not read here.
#[allow(dead_code)]
#[derive(Debug, Clone, Queryable)]
pub struct OpinionRow {
    pub id: i64,
    pub ticket: String,
    /// None for a case a deputy raised (a converted suggestion).
    pub constituent_id: Option<i64>,
    pub station_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub region_path: String,
    pub category: String,
    pub title: String,
    pub content: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub photo_urls: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub unit_id: Option<i64>,
    pub due_at: Option<NaiveDateTime>,
    pub extension_until: Option<NaiveDateTime>,
    pub extension_reason: Option<String>,
    pub reminded_at: Option<NaiveDateTime>,
    pub forwarded_at: Option<NaiveDateTime>,
    pub first_answer_at: Option<NaiveDateTime>,
    pub round: i32,
    pub escalated: bool,
    pub forward_requested: bool,
    pub satisfaction: Option<String>,
    pub result_score: Option<i32>,
    pub attitude_score: Option<i32>,
    pub merged_into: Option<i64>,
    /// The suggestion it was turned from.
    pub suggestion_id: Option<i64>,
}

pub struct NewOpinion<'a> {
    pub constituent: Option<i64>,
    pub station: Option<i64>,
    pub deputy: Option<i64>,
    pub region_path: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub content: &'a str,
    pub position: (Option<f64>, Option<f64>),
    pub photos: &'a str,
    pub suggestion: Option<i64>,
}

/// The constituent behind an account.
pub fn constituent_of(c: &mut AnyConnection, account: i64) -> AppResult<Option<i64>> {
    Ok(k::table.filter(k::account_id.eq(account)).select(k::id).first(c).optional()?)
}

#[derive(QueryableByName)]
struct Next {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Makes sure the day's ticket sequence exists (PostgreSQL; a no-op on SQLite). Run outside the
/// submission's transaction; `day` is `YYYYMMDD`.
pub fn ensure_day(c: &mut AnyConnection, day: &str) -> AppResult<()> {
    if let AnyConnection::Pg(x) = c {
        if day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()) {
            diesel::sql_query(format!("CREATE SEQUENCE IF NOT EXISTS ticket_seq_{day}")).execute(x)?;
        }
    }
    Ok(())
}

/// (title, content, region path, category) of the opinion with `ticket`.
pub fn brief(c: &mut AnyConnection, ticket: &str) -> AppResult<Option<(String, String, String, String)>> {
    Ok(o::table
        .filter(o::ticket.eq(ticket))
        .select((o::title, o::content, o::region_path, o::category))
        .first(c)
        .optional()?)
}

pub fn by_ticket(c: &mut AnyConnection, ticket: &str) -> AppResult<Option<OpinionRow>> {
    Ok(o::table.filter(o::ticket.eq(ticket)).first(c).optional()?)
}

/// Moves an opinion from `from` to `to` (false when it was no longer in `from`).
pub fn set_status(c: &mut AnyConnection, id: i64, from: &str, to: &str, now: NaiveDateTime) -> AppResult<bool> {
    Ok(diesel::update(o::table.filter(o::id.eq(id)).filter(o::status.eq(from)))
        .set((o::status.eq(to), o::updated_at.eq(now), o::version.eq(o::version + 1)))
        .execute(c)?
        == 1)
}

/// One event: (from, to, actor account, actor role, note).
pub struct Event<'a> {
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub account: i64,
    pub role: &'a str,
    pub note: Option<&'a str>,
}

pub fn event(c: &mut AnyConnection, opinion: i64, e: &Event, now: NaiveDateTime) -> AppResult<()> {
    diesel::insert_into(ev::table)
        .values((
            ev::opinion_id.eq(opinion),
            ev::from_status.eq(e.from),
            ev::to_status.eq(e.to),
            ev::actor_account.eq(e.account),
            ev::actor_role.eq(e.role),
            ev::note.eq(e.note),
            ev::created_at.eq(now),
        ))
        .execute(c)?;
    if e.from != Some(e.to) {
        feed(c, &[opinion], e.from, e.to, now)?;
    }
    Ok(())
}

/// (opinion, station, deputy, category, region path): what the feed tells of an opinion.
type FeedFacts = (i64, Option<i64>, Option<i64>, String, String);

/// The feed events of opinions that moved from `from` to `to` (no constituent, no text).
fn feed(c: &mut AnyConnection, ids: &[i64], from: Option<&str>, to: &str, now: NaiveDateTime) -> AppResult<()> {
    let rows: Vec<FeedFacts> = o::table
        .filter(o::id.eq_any(ids))
        .select((o::id, o::station_id, o::deputy_id, o::category, o::region_path))
        .load(c)?;
    let events: Vec<crate::feed::Event> = rows
        .into_iter()
        .map(|(id, station, deputy, category, path)| {
            let d = crate::feed::data::OpinionStatus {
                opinion_id: id,
                station_id: station,
                deputy_id: deputy,
                category,
                from: from.map(str::to_string),
                to: to.to_string(),
            };
            crate::feed::Event::opinion(&d, &path, now)
        })
        .collect();
    crate::feed::emit(c, &events)
}

pub use crate::http::StatusRow as EventRow;

pub fn events(c: &mut AnyConnection, opinion: i64) -> AppResult<Vec<EventRow>> {
    Ok(ev::table
        .filter(ev::opinion_id.eq(opinion))
        .order(ev::id)
        .select((ev::from_status, ev::to_status, ev::actor_role, ev::note, ev::created_at))
        .load(c)?)
}

/// The constituents behind accounts: account → constituent.
pub fn constituents_of(c: &mut AnyConnection, accounts: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    Ok(k::table.filter(k::account_id.eq_any(accounts)).select((k::account_id, k::id)).load(c)?)
}

/// `n` ticket sequence numbers of a day at once, ascending. The backends differ: PostgreSQL
/// draws from a sequence per day (no row that every submission must lock until it commits — that
/// serialized them on the commit's fsync); SQLite, with its one writer, counts in a row per day.
/// A failed submission may leave a gap.
pub fn next_seqs(c: &mut AnyConnection, day: &str, n: i64) -> AppResult<Vec<i64>> {
    use diesel::upsert::excluded;
    match c {
        AnyConnection::Pg(x) if day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit()) => {
            let mut v: Vec<i64> =
                diesel::sql_query(format!("SELECT nextval('ticket_seq_{day}') AS n FROM generate_series(1, {n})"))
                    .load::<Next>(x)?
                    .into_iter()
                    .map(|r| r.n)
                    .collect();
            v.sort_unstable();
            Ok(v)
        }
        _ => {
            crate::per_backend!(&mut *c, |x| diesel::insert_into(t::table)
                .values((t::day.eq(day), t::last.eq(n)))
                .on_conflict(t::day)
                .do_update()
                .set(t::last.eq(t::last + excluded(t::last)))
                .execute(x))?;
            let last: i64 = t::table.find(day).select(t::last).first(c)?;
            Ok((last - n + 1..=last).collect())
        }
    }
}

/// Sets what followers of a case see (a staff-approved title and answer).
pub fn set_publication(
    c: &mut AnyConnection,
    id: i64,
    title: &str,
    answer: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let row = (op::opinion_id.eq(id), op::title.eq(title), op::answer.eq(answer), op::updated_at.eq(now));
    // Upserts differ per backend: one builder, run on the concrete connection.
    crate::per_backend!(c, |x| diesel::insert_into(op::table)
        .values(row)
        .on_conflict(op::opinion_id)
        .do_update()
        .set((op::title.eq(title), op::answer.eq(answer), op::updated_at.eq(now)))
        .execute(x))?;
    Ok(())
}

/// (title, answer) staff approved as public for each of these cases that has them.
pub fn publications(
    c: &mut AnyConnection,
    ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, (String, Option<String>)>> {
    let rows: Vec<(i64, String, Option<String>)> =
        op::table.filter(op::opinion_id.eq_any(ids)).select((op::opinion_id, op::title, op::answer)).load(c)?;
    Ok(rows.into_iter().map(|(id, t, a)| (id, (t, a))).collect())
}

/// Inserts opinions with one statement; returns them as stored, in order.
pub fn insert_many(
    c: &mut AnyConnection,
    rows: &[(String, NewOpinion)],
    now: NaiveDateTime,
) -> AppResult<Vec<OpinionRow>> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let values: Vec<_> = rows
        .iter()
        .map(|(ticket, x)| {
            (
                o::ticket.eq(ticket.as_str()),
                o::constituent_id.eq(x.constituent),
                o::station_id.eq(x.station),
                o::deputy_id.eq(x.deputy),
                o::region_path.eq(x.region_path),
                o::category.eq(x.category),
                o::title.eq(x.title),
                o::content.eq(x.content),
                o::latitude.eq(x.position.0),
                o::longitude.eq(x.position.1),
                o::photo_urls.eq(x.photos),
                o::suggestion_id.eq(x.suggestion),
                o::status.eq("submitted"),
                o::created_at.eq(now),
                o::updated_at.eq(now),
                o::version.eq(1i64),
            )
        })
        .collect();
    let mut out: Vec<OpinionRow> =
        crate::per_backend!(&mut *c, |x| diesel::insert_into(o::table).values(&values).get_results(x))?;
    out.sort_by_key(|r| r.id);
    Ok(out)
}

/// The first event ("submitted") of many opinions: (opinion, actor account).
pub fn submitted_many(c: &mut AnyConnection, rows: &[(i64, i64)], now: NaiveDateTime) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<_> = rows
        .iter()
        .map(|(id, account)| {
            (
                ev::opinion_id.eq(*id),
                ev::from_status.eq(None::<String>),
                ev::to_status.eq("submitted"),
                ev::actor_account.eq(*account),
                ev::actor_role.eq("constituent"),
                ev::created_at.eq(now),
            )
        })
        .collect();
    crate::per_backend!(&mut *c, |x| diesel::insert_into(ev::table).values(&values).execute(x))?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    feed(c, &ids, None, "submitted", now)?;
    Ok(())
}
