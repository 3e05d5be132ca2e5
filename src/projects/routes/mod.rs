//! The livelihood-project routes: rounds, candidates and the secret vote; then the adopted
//! projects carried out, inspected and assessed; and what the public sees.

mod assessment;
mod candidates;
mod inspections;
mod progress;
mod public;
mod results;
mod rounds;
mod scope;
mod tallies;
mod views;
mod votes;
mod works;

use crate::platform::route_table::RouteTable;

pub(super) use results::publish;

/// Registers the project routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(rounds::create)
        .add(rounds::list)
        .add(results::public_result)
        .add(assessment::public)
        .add(public::list)
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
        .add(works::implement)
        .add(assessment::open)
        .add(assessment::sheet)
        .add(assessment::rate)
        .add(assessment::close)
        .add(rounds::get_one)
        .add(progress::upload)
        .add(progress::download)
        .add(works::list)
        .add(works::set_units)
        .add(works::add_milestone)
        .add(works::milestone_done)
        .add(progress::report)
        .add(inspections::link)
        .add(inspections::remark)
        .add(works::get_one);
}
