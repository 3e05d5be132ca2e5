//! The push route table: every handler of this capability, in the order actix-web tries them.

pub(in crate::push) mod devices;
pub(in crate::push) mod settings;

use crate::platform::route_table::RouteTable;

/// Registers the push routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(settings::get_settings)
        .add(settings::put_settings)
        .add(devices::register)
        .add(devices::mine)
        .add(devices::forget)
        .add(devices::dead_letters)
        .add(devices::redrive);
}
