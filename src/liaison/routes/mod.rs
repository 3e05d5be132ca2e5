//! The liaison links' route table.

mod access;
mod carry;
mod contacts;
pub mod coverage;
mod import;
mod links;

use crate::platform::route_table::RouteTable;

/// Registers the liaison routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(links::create)
        .add(import::import)
        .add(links::list)
        .add(links::mine)
        .add(links::end)
        .add(contacts::log)
        .add(contacts::list)
        .add(carry::carry);
}
