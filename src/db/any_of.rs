//! [`any_of`]: `column IN (values…)` whose SQL text does not depend on how many values there are.
//!
//! diesel's `eq_any` writes one bound parameter per value on SQLite and marks the statement
//! unsafe to keep prepared, so every bulk of the SQLite writer (a hundred deputies' seats, chain
//! heads, rules) was parsed and planned again — about a tenth of the writer's time under award
//! bursts. `any_of` binds all the values as one parameter: a JSON array read through `json_each`
//! on SQLite (one probe of the column's index per value, as an `IN` list), an array compared
//! with `= ANY` on PostgreSQL. The statement is then prepared once per connection and kept.

use diesel::expression::{AppearsOnTable, Expression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, Bool, HasSqlType, SingleValue, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;
use std::sync::OnceLock;

/// `column` is one of `values` (see the module documentation).
#[derive(Debug, Clone)]
pub struct AnyOf<C, V> {
    column: C,
    values: Vec<V>,
    /// The values as SQLite binds them, written on first use (PostgreSQL binds `values`).
    json: OnceLock<String>,
}

/// `column IN (values)` on either backend, prepared once (see the module documentation).
pub fn any_of<C, V>(column: C, values: impl IntoIterator<Item = V>) -> AnyOf<C, V> {
    AnyOf { column, values: values.into_iter().collect(), json: OnceLock::new() }
}

impl<C: Expression, V> Expression for AnyOf<C, V> {
    type SqlType = Bool;
}

impl<C: AppearsOnTable<QS>, V, QS> AppearsOnTable<QS> for AnyOf<C, V> {}

impl<C: ValidGrouping<G>, V, G> ValidGrouping<G> for AnyOf<C, V> {
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryId, V: 'static> QueryId for AnyOf<C, V> {
    type QueryId = AnyOf<C::QueryId, V>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C, V> QueryFragment<Sqlite> for AnyOf<C, V>
where
    C: QueryFragment<Sqlite>,
    V: serde::Serialize,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        // Numbers and strings always serialise; an empty array matches nothing, as `IN ()` does.
        let json = self.json.get_or_init(|| serde_json::to_string(&self.values).unwrap_or_else(|_| "[]".into()));
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, String>(json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C, V> QueryFragment<Pg> for AnyOf<C, V>
where
    C: QueryFragment<Pg> + Expression,
    C::SqlType: SingleValue,
    Pg: HasSqlType<C::SqlType>,
    Vec<V>: ToSql<Array<C::SqlType>, Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<C::SqlType>, Vec<V>>(&self.values)?;
        out.push_sql(")");
        Ok(())
    }
}
