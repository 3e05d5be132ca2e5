//! The page kit: the pages' API client, one visit's cookies and headers, reading multipart
//! forms, and what every page handler shares.

mod api;
pub mod form;
mod shared;
mod visit;

pub use api::{Api, Reply};
pub use shared::{asset, Pages};
pub use visit::{token, Head, Visit};
