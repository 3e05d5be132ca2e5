//! Open duty data (以多种方式向社会公开履职情况): a congress chooses to publish (off by default);
//! then its ranking snapshots (亮分) and its deputies' yearly summaries — the public part of
//! the duty archive — are readable without sign-in and shown on the deputy's public page.

mod model;
mod public;
mod routes;

pub use model::PublicSummary;
pub use public::{deputy_summary, snapshot_rows, snapshots, summary};
pub use routes::{get_setting, put_setting};
