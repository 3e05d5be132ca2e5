//! The fixed contacts' route table.

mod access;
mod mine;
mod staff;
mod visits;

use crate::platform::route_table::RouteTable;

/// Registers the fixed contacts' routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(mine::create)
        .add(mine::list)
        .add(staff::summary)
        .add(mine::end)
        .add(visits::log)
        .add(visits::list)
        .add(staff::phone);
}
