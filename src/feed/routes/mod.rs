//! The feed's route table.

mod pull;
mod subscriptions;

pub use pull::source;
pub use subscriptions::secrets;

use crate::platform::route_table::RouteTable;

/// Registers the feed's routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(pull::catalogue)
        .add(pull::pull)
        .add(subscriptions::create)
        .add(subscriptions::list)
        .add(subscriptions::get)
        .add(subscriptions::resume)
        .add(subscriptions::disable)
        .add(subscriptions::rotate);
}
