//! The consultations' route table.

mod access;
mod answers;
mod comments;
mod drafts;
mod feedback;
mod read;
mod report;
mod results;

use crate::platform::route_table::RouteTable;

/// Registers the consultations' routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(drafts::create)
        .add(read::list)
        .add(read::public_list)
        .add(read::public_get)
        .add(read::public_feedback)
        .add(read::get)
        .add(drafts::put_articles)
        .add(drafts::publish)
        .add(comments::comment)
        .add(comments::walk_in)
        .add(answers::answer)
        .add(results::results)
        .add(feedback::decide)
        .add(feedback::publish_feedback);
}
