//! [`FixedRows`]: a multi-row SQLite statement diesel cannot keep prepared, written by hand in
//! batches of 64, 16, 4 and 1 rows, so that SQLite parses each of the four once per connection.
//!
//! diesel marks every upsert (`ON CONFLICT … DO UPDATE`) unsafe to keep prepared, whatever its
//! rows, so the award writer's heads, balances and totals were parsed and planned again for every
//! bulk (about 7 % of its time once its INSERTs were kept, see [`crate::in_batches`]). A
//! [`FixedRows`] names its text around the rows and how one row binds; [`execute`] runs the rows
//! in fixed-size batches, each batch size a statement with a static query id. PostgreSQL keeps
//! diesel's own upserts.

use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{QueryResult, RunQueryDsl};

/// One statement over rows (see the module documentation).
pub trait FixedRows: 'static {
    type Row;
    /// The text before the rows, up to `VALUES `.
    const HEAD: &'static str;
    /// The text after the rows (` ON CONFLICT …`).
    const TAIL: &'static str;
    /// Pushes one row: `(?, ?, …)` with its binds.
    fn row<'b>(row: &'b Self::Row, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()>;
}

/// The body of a [`FixedRows::row`]: pushes `(?, ?, …)` with one bind per `(SQL type, value)`.
#[macro_export]
macro_rules! bind_row {
    ($out:expr, $first_ty:ty => $first:expr $(, $ty:ty => $v:expr)* $(,)?) => {{
        $out.push_sql("(");
        $out.push_bind_param::<$first_ty, _>($first)?;
        $(
            $out.push_sql(", ");
            $out.push_bind_param::<$ty, _>($v)?;
        )*
        $out.push_sql(")");
        Ok(())
    }};
}

/// `N` rows of the statement `F`.
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
            F::row(r, &mut out)?;
        }
        out.push_sql(F::TAIL);
        Ok(())
    }
}

impl<F: FixedRows, const N: usize> RunQueryDsl<SqliteConnection> for Batch<'_, F, N> {}

/// Runs `F` over all `rows`, in order, in batches of 64, 16, 4 and 1.
pub fn execute<F: FixedRows>(c: &mut SqliteConnection, rows: &[F::Row]) -> QueryResult<()> {
    crate::in_fixed_batches!(rows, |batch| Batch::<F, _>(batch).execute(c)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::{BigInt, Text};
    use diesel::Connection;

    struct Add;
    impl FixedRows for Add {
        type Row = (i64, String, i64);
        const HEAD: &'static str = "INSERT INTO t (k, name, n) VALUES ";
        const TAIL: &'static str = " ON CONFLICT (k) DO UPDATE SET n = n + excluded.n, name = excluded.name";
        fn row<'b>(row: &'b Self::Row, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
            crate::bind_row!(out, BigInt => &row.0, Text => &row.1, BigInt => &row.2)
        }
    }

    #[test]
    fn every_row_is_upserted_whatever_the_count() {
        // The process settings first (only possible before SQLite initialises).
        crate::db::sqlite::register();
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        c.batch_execute("CREATE TABLE t (k INTEGER PRIMARY KEY, name TEXT NOT NULL, n BIGINT NOT NULL)").unwrap();
        for total in [0i64, 1, 5, 21, 64, 150] {
            let rows: Vec<(i64, String, i64)> = (0..total).map(|k| (k, format!("n{total}"), k)).collect();
            execute::<Add>(&mut c, &rows).unwrap();
        }
        // Key k was added by every run with more than k rows: k × (number of such runs).
        let sums: Vec<(i64, i64)> = diesel::sql_query("SELECT k, n FROM t ORDER BY k")
            .load::<Pair>(&mut c)
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
