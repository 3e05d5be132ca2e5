//! The livelihood-project vote's route table.

mod candidates;
mod results;
mod rounds;
mod scope;
mod tallies;
mod votes;

use crate::platform::route_table::RouteTable;

/// Registers the project routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(rounds::create)
        .add(rounds::list)
        .add(results::public_result)
        .add(candidates::from_opinion)
        .add(candidates::propose)
        .add(rounds::screen)
        .add(rounds::set_ballot)
        .add(rounds::open)
        .add(votes::ballot)
        .add(votes::vote)
        .add(votes::paper_voters)
        .add(tallies::propose)
        .add(tallies::approve)
        .add(results::close)
        .add(results::result)
        .add(rounds::get_one);
}
