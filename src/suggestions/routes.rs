//! The suggestions route table: every handler of this capability, in the order actix-web tries them.

use crate::platform::route_table::RouteTable;

/// Registers the suggestions routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(super::filing::create)
        .add(super::review::staff_list)
        .add(super::disclosure::stats)
        .add(super::disclosure::public_replies)
        .add(super::tracking::urged)
        .add(super::tracking::tracking)
        .add(super::filing::mine)
        .add(super::filing::one)
        .add(super::filing::cosign)
        .add(super::filing::revise)
        .add(super::filing::submit)
        .add(super::filing::withdraw)
        .add(super::review::accept)
        .add(super::review::return_it)
        .add(super::review::convert)
        .add(super::review::assign)
        .add(super::handling::acknowledge)
        .add(super::handling::contact)
        .add(super::handling::reply)
        .add(super::handling::evaluate)
        .add(super::tracking::request_extension)
        .add(super::tracking::decide_extension)
        .add(super::tracking::urge)
        .add(super::tracking::clear)
        .add(super::tracking::excellent)
        .add(super::attachments::attach)
        .add(super::attachments::download);
}
