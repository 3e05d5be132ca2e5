//! [`FixedRows`]: one multi-row statement (an upsert, typically) declared once with
//! [`fixed_rows!`](crate::fixed_rows) and run on either backend by [`execute`].
//!
//! diesel marks every upsert (`ON CONFLICT … DO UPDATE`) unsafe to keep prepared, whatever its
//! rows, so the award writer's heads, balances and totals were parsed and planned again for every
//! bulk on SQLite (about 7 % of its time once its INSERTs were kept, see [`crate::in_batches`]).
//! A declaration names the text around the rows and the SQL type of each column; on SQLite
//! [`execute`] runs the rows in fixed-size batches (64, 16, 4, 1), each a statement with a static
//! query id, so SQLite parses each of the four once per connection; on PostgreSQL it sends up to
//! 1,000 rows a statement. The same text serves both: write `table.column` (not a bare column) on
//! the right of `DO UPDATE SET`, which PostgreSQL would find ambiguous.
//!
//! ```ignore
//! crate::fixed_rows! {
//!     /// Adds points to yearly totals per (deputy, year).
//!     pub AddTotals(deputy: i64 => BigInt, year: i32 => Integer, points: i64 => BigInt)
//!     "INSERT INTO ledger_totals (deputy_id, year, points) VALUES "
//!     " ON CONFLICT (deputy_id, year) DO UPDATE SET points = ledger_totals.points + excluded.points"
//! }
//! fixed_rows::execute::<AddTotals>(conn, &rows)?;
//! ```

use super::AnyConnection;
use diesel::pg::{Pg, PgConnection};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{QueryResult, RunQueryDsl};

/// One statement over rows (see the module documentation); implemented by [`fixed_rows!`](crate::fixed_rows).
pub trait FixedRows: 'static {
    type Row;
    /// The text before the rows, up to `VALUES `.
    const HEAD: &'static str;
    /// The text after the rows (` ON CONFLICT …`).
    const TAIL: &'static str;
    /// Pushes one row on SQLite: `(?, ?, …)` with its binds.
    fn row_sqlite<'b>(row: &'b Self::Row, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()>;
    /// Pushes one row on PostgreSQL: `($1, $2, …)` with its binds.
    fn row_pg<'b>(row: &'b Self::Row, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>;
}

/// Declares a [`FixedRows`] statement: its name, each column's Rust and SQL type, and the text
/// before and after the rows (see the module documentation).
#[macro_export]
macro_rules! fixed_rows {
    ($(#[$m:meta])* $vis:vis $name:ident ($first:ident : $first_rt:ty => $first_st:ty $(, $f:ident : $rt:ty => $st:ty)* $(,)?) $head:literal $tail:literal) => {
        $(#[$m])*
        $vis struct $name;

        impl $crate::db::fixed_rows::FixedRows for $name {
            type Row = ($first_rt, $($rt,)*);
            const HEAD: &'static str = $head;
            const TAIL: &'static str = $tail;
            fn row_sqlite<'b>(
                row: &'b Self::Row,
                out: &mut diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
            ) -> diesel::QueryResult<()> {
                let ($first, $($f,)*) = row;
                $crate::fixed_rows!(@bind out, $first => $first_st $(, $f => $st)*)
            }
            fn row_pg<'b>(
                row: &'b Self::Row,
                out: &mut diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
            ) -> diesel::QueryResult<()> {
                let ($first, $($f,)*) = row;
                $crate::fixed_rows!(@bind out, $first => $first_st $(, $f => $st)*)
            }
        }
    };
    (@bind $out:ident, $first:ident => $first_st:ty $(, $f:ident => $st:ty)*) => {{
        $out.push_sql("(");
        $out.push_bind_param::<$first_st, _>($first)?;
        $(
            $out.push_sql(", ");
            $out.push_bind_param::<$st, _>($f)?;
        )*
        $out.push_sql(")");
        Ok(())
    }};
}

/// `N` rows of the statement `F` (SQLite: a fixed size, kept prepared).
struct Batch<'a, F: FixedRows, const N: usize>(&'a [F::Row; N]);

impl<F: FixedRows, const N: usize> QueryId for Batch<'_, F, N> {
    type QueryId = (F, [(); N]);
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<F: FixedRows, const N: usize> QueryFragment<Sqlite> for Batch<'_, F, N> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql(F::HEAD);
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            F::row_sqlite(r, &mut out)?;
        }
        out.push_sql(F::TAIL);
        Ok(())
    }
}

impl<F: FixedRows, const N: usize> RunQueryDsl<SqliteConnection> for Batch<'_, F, N> {}

/// Any number of rows of the statement `F` (PostgreSQL: its text varies with the count).
struct Rows<'a, F: FixedRows>(&'a [F::Row]);

impl<F: FixedRows> QueryId for Rows<'_, F> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<F: FixedRows> QueryFragment<Pg> for Rows<'_, F> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql(F::HEAD);
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            F::row_pg(r, &mut out)?;
        }
        out.push_sql(F::TAIL);
        Ok(())
    }
}

impl<F: FixedRows> RunQueryDsl<PgConnection> for Rows<'_, F> {}

/// Runs `F` over all `rows`, in order: on SQLite in batches of 64, 16, 4 and 1, on PostgreSQL
/// up to 1,000 a statement.
pub fn execute<F: FixedRows>(conn: &mut AnyConnection, rows: &[F::Row]) -> QueryResult<()> {
    match conn {
        AnyConnection::Sqlite(c) => crate::in_fixed_batches!(rows, |batch| Batch::<F, _>(batch).execute(c)?),
        AnyConnection::Pg(c) => {
            for chunk in rows.chunks(1000) {
                Rows::<F>(chunk).execute(c)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::BigInt;
    use diesel::Connection;

    crate::fixed_rows! {
        Add(k: i64 => BigInt, name: String => diesel::sql_types::Text, n: i64 => BigInt)
        "INSERT INTO t (k, name, n) VALUES "
        " ON CONFLICT (k) DO UPDATE SET n = t.n + excluded.n, name = excluded.name"
    }

    #[test]
    fn every_row_is_upserted_whatever_the_count() {
        // The process settings first (only possible before SQLite initialises).
        crate::db::sqlite::register();
        let c = SqliteConnection::establish(":memory:").unwrap();
        let mut c = AnyConnection::Sqlite(c);
        let AnyConnection::Sqlite(sq) = &mut c else { unreachable!() };
        sq.batch_execute("CREATE TABLE t (k INTEGER PRIMARY KEY, name TEXT NOT NULL, n BIGINT NOT NULL)").unwrap();
        for total in [0i64, 1, 5, 21, 64, 150] {
            let rows: Vec<(i64, String, i64)> = (0..total).map(|k| (k, format!("n{total}"), k)).collect();
            execute::<Add>(&mut c, &rows).unwrap();
        }
        // Key k was added by every run with more than k rows: k × (number of such runs).
        let AnyConnection::Sqlite(sq) = &mut c else { unreachable!() };
        let sums: Vec<(i64, i64)> = diesel::sql_query("SELECT k, n FROM t ORDER BY k")
            .load::<Pair>(sq)
            .unwrap()
            .into_iter()
            .map(|p| (p.k, p.n))
            .collect();
        assert_eq!(sums.len(), 150);
        for (k, n) in sums {
            let runs = [1i64, 5, 21, 64, 150].iter().filter(|t| **t > k).count() as i64;
            assert_eq!(n, k * runs, "key {k}");
        }
    }

    #[derive(diesel::QueryableByName)]
    struct Pair {
        #[diesel(sql_type = BigInt)]
        k: i64,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
}
