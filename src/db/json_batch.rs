//! [`JsonBatch`]: a SQLite statement of fixed text that takes a whole batch of keys or rows as
//! one JSON parameter, so that it is prepared once per connection and kept.
//!
//! A `dsl::sql` literal is never kept prepared by diesel, so the award writer's lookup of the
//! sources already recorded was parsed and planned again for every bulk (~6 % of the writer's
//! time under an award burst; ~2 % kept). A [`BatchSql`] has a static query id and reads its
//! batch from `json_each(?)`.
//!
//! Read the batch through a materialised CTE — `WITH k(v) AS MATERIALIZED (SELECT value FROM
//! json_each(?)) … k.v ->> 0` — as `json_each` turns its `value` back into text at every mention.
//! Measured and not taken (session 26): the same for the writer's multi-row INSERTs and upserts
//! cost more than parsing them (JSON in, JSON parsed, values extracted), and single-row
//! statements run once per row cost more again — each opens a statement journal and copies the
//! pages it touches into it, where one multi-row statement does that once.

use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::Text;
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{QueryResult, RunQueryDsl};
use std::marker::PhantomData;

/// One statement: its text, with a single `?` where the JSON array of rows is bound.
pub trait BatchSql: 'static {
    const SQL: &'static str;
    /// The SQL types its `RETURNING` (or `SELECT`) answers; `()` when it answers nothing.
    type Returns;
}

/// A [`BatchSql`] statement with its rows (see the module documentation).
pub struct JsonBatch<S> {
    json: String,
    statement: PhantomData<S>,
}

/// The statement `S` over `rows`, serialised as a JSON array (one element per row).
pub fn json_batch<S: BatchSql, R: serde::Serialize + ?Sized>(rows: &R) -> QueryResult<JsonBatch<S>> {
    let json = serde_json::to_string(rows).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    Ok(JsonBatch { json, statement: PhantomData })
}

impl<S: BatchSql> QueryId for JsonBatch<S> {
    type QueryId = S;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<S: BatchSql> Query for JsonBatch<S> {
    type SqlType = S::Returns;
}

impl<S: BatchSql> QueryFragment<Sqlite> for JsonBatch<S> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        let (before, after) = S::SQL.split_once('?').unwrap_or((S::SQL, ""));
        out.push_sql(before);
        out.push_bind_param::<Text, String>(&self.json)?;
        out.push_sql(after);
        Ok(())
    }
}

impl<S: BatchSql> RunQueryDsl<SqliteConnection> for JsonBatch<S> {}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::Connection;

    struct Put;
    impl BatchSql for Put {
        const SQL: &'static str = "WITH r(k, v) AS MATERIALIZED (SELECT key, value FROM json_each(?)) \
            INSERT INTO t (a, b) SELECT v ->> 0, v ->> 1 FROM r ORDER BY k RETURNING id, b";
        type Returns = (diesel::sql_types::BigInt, diesel::sql_types::Nullable<Text>);
    }

    #[test]
    fn rows_go_in_as_one_parameter_in_order_with_their_types() {
        // The process settings first (only possible before SQLite initialises).
        crate::db::sqlite::register();
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        c.batch_execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a BIGINT NOT NULL, b TEXT)").unwrap();
        let rows: [(i64, Option<&str>); 3] = [(7, Some("x'\"y")), (1 << 40, None), (-3, Some("三"))];
        let back: Vec<(i64, Option<String>)> = json_batch::<Put, _>(&rows).unwrap().load(&mut c).unwrap();
        assert_eq!(back, vec![(1, Some("x'\"y".into())), (2, None), (3, Some("三".into()))]);
        let typed: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM t WHERE typeof(a) = 'integer')",
        ))
        .get_result(&mut c)
        .unwrap();
        assert_eq!(typed, 3);
        // The second batch runs the statement kept from the first.
        let more: Vec<(i64, Option<String>)> =
            json_batch::<Put, _>(&[(5, None::<&str>)]).unwrap().load(&mut c).unwrap();
        assert_eq!(more, vec![(4, None)]);
    }
}
