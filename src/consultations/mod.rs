//! Consultations and surveys (征求意见, 网络调查): a draft law, regulation, budget or plan put to
//! deputies and (when public) constituents article by article within a window, with an
//! optional questionnaire (anonymous if chosen: answers kept apart from who answered), walk-ins'
//! views entered at grassroots legislative contact points (基层立法联系点), results for staff
//! (JSON, CSV, a printable report), decisions on each comment told to its author, and the
//! public feedback report (采纳情况). A deputy's part earns the rulebook's points once.

mod held;
mod jobs;
mod model;
mod routes;
mod rules;
mod store;

pub use jobs::{remind_closing, settle_closed, worker};
pub use routes::register;
pub use store::comments::reseal as reseal_phones;

/// Bulk paths for the demo seeder: rows written as given, without the checks, notices and
/// audit of the HTTP routes. Request handlers never use these.
pub mod seeding {
    pub use super::rules::parse_articles;
    pub use super::store::answers::{insert as insert_answer, take_part, NewAnswer};
    pub use super::store::comments::{decide, insert as insert_comment, Author};
    pub use super::store::{
        fill_audience, insert, insert_question, mark_published, put_articles, put_points, set_feedback, NewConsultation,
    };
}
