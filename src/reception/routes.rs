//! The reception route table: every handler of this capability, in the order actix-web tries them.

use crate::platform::route_table::RouteTable;

/// Registers the busiest reception routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(super::opinions::submit);
}

/// Registers the reception routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(super::signin::privacy_notice)
        .add(super::signin::request_code)
        .add(super::signin::sign_in)
        .add(super::directory::page)
        .add(super::opinions::similar)
        .add(super::threads::mine)
        .add(super::threads::my_one)
        .add(super::opinions::withdraw)
        .add(super::answering::rate)
        .add(super::handling::list)
        .add(super::stats::stats)
        .add(super::threads::one)
        .add(super::threads::messages)
        .add(super::threads::post_message)
        .add(super::opinions::follow)
        .add(super::publication::publish)
        .add(super::handling::phone)
        .add(super::handling::accept)
        .add(super::handling::reject)
        .add(super::handling::assign)
        .add(super::handling::merge)
        .add(super::answering::answer)
        .add(super::answering::forward_request)
        .add(super::answering::close)
        .add(super::forwarding::forward)
        .add(super::forwarding::reply)
        .add(super::forwarding::request_extension)
        .add(super::forwarding::decide_extension)
        .add(super::appointments::book)
        .add(super::appointments::mine)
        .add(super::appointments::confirm)
        .add(super::appointments::decline)
        .add(super::appointments::cancel)
        .add(super::workdays::list)
        .add(super::workdays::put_day)
        .add(super::workdays::delete_day);
}
