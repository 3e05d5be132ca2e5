//! The suggestions route table: every handler of this capability, in the order actix-web tries them.

pub(in crate::suggestions) mod attachments;
pub(in crate::suggestions) mod disclosure;
pub(in crate::suggestions) mod filing;
pub(in crate::suggestions) mod handling;
pub(in crate::suggestions) mod review;
pub(in crate::suggestions) mod tracking;

use crate::platform::route_table::RouteTable;

/// Registers the suggestions routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(filing::create)
        .add(review::staff_list)
        .add(disclosure::stats)
        .add(disclosure::public_replies)
        .add(tracking::urged)
        .add(tracking::tracking)
        .add(filing::mine)
        .add(filing::one)
        .add(filing::cosign)
        .add(filing::revise)
        .add(filing::submit)
        .add(filing::withdraw)
        .add(review::accept)
        .add(review::return_it)
        .add(review::convert)
        .add(review::assign)
        .add(handling::acknowledge)
        .add(handling::contact)
        .add(handling::reply)
        .add(handling::evaluate)
        .add(tracking::request_extension)
        .add(tracking::decide_extension)
        .add(tracking::urge)
        .add(tracking::clear)
        .add(tracking::excellent)
        .add(attachments::attach)
        .add(attachments::download);
}
