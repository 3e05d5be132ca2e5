//! The ledger's route table: every sub-domain's handlers, in the order actix-web tries them.

use super::{appeals, archive, awards, chain, evaluation, open, ranking, rulebook, statements};
use crate::platform::route_table::RouteTable;
use crate::state::AppState;
use chrono::Datelike;

/// This year in the installation's time zone (the default year of statements and rankings).
pub fn this_year(state: &AppState) -> i32 {
    state.clock.now().with_timezone(&state.settings.tz).year()
}

/// Registers the busiest ledger routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(statements::mine).add(ranking::ranking).add(awards::award_route);
}

/// Registers the ledger routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(rulebook::rulebook)
        .add(statements::of_deputy)
        .add(awards::reverse_route)
        .add(chain::verify_route)
        .add(awards::propose)
        .add(awards::decide)
        .add(rulebook::create)
        .add(appeals::create)
        .add(appeals::mine)
        .add(appeals::queue)
        .add(appeals::one)
        .add(appeals::message)
        .add(appeals::resolve)
        .add(archive::of_deputy)
        .add(archive::signed)
        .add(archive::mine)
        .add(ranking::publish)
        .add(ranking::snapshots)
        .add(ranking::snapshot_rows)
        .add(open::get_setting)
        .add(open::put_setting)
        .add(open::snapshots)
        .add(open::snapshot_rows)
        .add(open::deputy_summary)
        .add(chain::published_heads)
        .add(evaluation::settings)
        .add(evaluation::set)
        .add(evaluation::evaluate)
        .add(rulebook::simulate);
}
