//! The coverage view's route table.

mod notify;
mod view;

use crate::platform::route_table::RouteTable;

/// Registers the coverage routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(view::view).add(notify::notify);
}
