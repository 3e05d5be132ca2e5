//! The deputy CSV import: the spreadsheet staff keep, checked row by row against the directory,
//! written all-or-nothing.

mod plan;
mod routes;
#[cfg(test)]
mod tests;

pub use routes::import;
