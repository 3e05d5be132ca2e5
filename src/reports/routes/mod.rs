//! The duty reports' route table.

mod drafts;
mod plan;
mod ratings;
mod review;
mod scope;
mod session;
mod tallies;

use crate::platform::route_table::RouteTable;

/// Registers the duty-report routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(plan::plan)
        .add(plan::schedule)
        .add(plan::remind)
        .add(drafts::create)
        .add(drafts::mine)
        .add(drafts::update)
        .add(drafts::submit)
        .add(ratings::public)
        .add(ratings::rate)
        .add(ratings::results_of)
        .add(session::code)
        .add(tallies::propose)
        .add(tallies::approve)
        .add(review::get_one)
        .add(review::send_back)
        .add(review::approve)
        .add(review::deliver)
        .add(review::publish);
}
