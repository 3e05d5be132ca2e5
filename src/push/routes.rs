//! The push route table: every handler of this capability, in the order actix-web tries them.

use crate::platform::route_table::RouteTable;

/// Registers the push routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(super::settings::get_settings)
        .add(super::settings::put_settings)
        .add(super::devices::register)
        .add(super::devices::mine)
        .add(super::devices::forget)
        .add(super::devices::dead_letters)
        .add(super::devices::redrive);
}
