//! Statement helpers for both backends, used by the stores:
//!
//! - [`per_backend!`](crate::per_backend) runs one diesel builder on the concrete connection
//!   behind an `AnyConnection`, for what the multi-backend connection cannot express (multi-row
//!   inserts, upserts). Write the builder once; it is compiled for each backend:
//!   `per_backend!(conn, |c| diesel::insert_into(t::table).values(&rows).on_conflict_do_nothing().execute(c))?`
//! - [`in_fixed_batches!`](crate::in_fixed_batches) and [`in_batches!`](crate::in_batches) cut a
//!   long list of rows into statements of a fixed size (so each shape is prepared once and kept),
//!   within each backend's limit on bound parameters.
//!
//! When to use what else: `db::run` (one read or write), `db::tx` (several in a transaction),
//! `db::read` (a short read that may run inline on SQLite), `db::bulk::Bulk` (many small writes
//! from concurrent requests in one transaction: check-ins, awards, filings).

/// Runs one diesel builder on the concrete connection behind an [`AnyConnection`]: for what the
/// multi-backend connection cannot express (multi-row inserts, upserts). The builder is written
/// once; it is compiled for each backend.
#[macro_export]
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Pg($c) => $body,
            $crate::db::AnyConnection::Sqlite($c) => $body,
        }
    };
}

/// Runs `body` over `rows` in order, `batch` bound to arrays (`&[T; N]`) of 64, 16, 4 and 1 rows:
/// a statement over an array has a fixed text, so SQLite keeps each batch size prepared (see
/// [`in_batches!`](crate::in_batches) and [`fixed_rows`]). A bulk of 21 rows runs as 16 + 4 + 1.
#[macro_export]
macro_rules! in_fixed_batches {
    ($rows:expr, |$batch:ident| $body:expr) => {{
        let mut rest = $rows;
        while !rest.is_empty() {
            rest = if let Some(($batch, r)) = rest.split_first_chunk::<64>() {
                $body;
                r
            } else if let Some(($batch, r)) = rest.split_first_chunk::<16>() {
                $body;
                r
            } else if let Some(($batch, r)) = rest.split_first_chunk::<4>() {
                $body;
                r
            } else if let Some(($batch, r)) = rest.split_first_chunk::<1>() {
                $body;
                r
            } else {
                break;
            };
        }
    }};
}

/// Runs a multi-row statement over `rows` in batches, `batch` bound to each in turn: on
/// PostgreSQL up to 1,000 rows (a slice); on SQLite arrays of fixed sizes
/// ([`in_fixed_batches!`](crate::in_fixed_batches)). diesel keeps a statement over an array
/// prepared, as its text is fixed, while one over a slice is parsed and planned again every time
/// — on the SQLite writer under an award burst, that parsing was about a tenth of its time.
#[macro_export]
macro_rules! in_batches {
    ($conn:expr, $rows:expr, |$c:ident, $batch:ident| $body:expr) => {{
        let rows = &$rows[..];
        match $conn {
            $crate::db::AnyConnection::Pg($c) => {
                for $batch in rows.chunks(1000) {
                    $body;
                }
            }
            $crate::db::AnyConnection::Sqlite($c) => $crate::in_fixed_batches!(rows, |$batch| $body),
        }
    }};
}
