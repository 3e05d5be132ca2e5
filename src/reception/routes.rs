//! The reception route table: every handler of this capability, in the order actix-web tries them.

use super::appointments::routes::{booking, workdays};
use super::cases::routes::{
    answering, forwarding, handling, opinions, photos, preferences, publication, similar, stats, threads, walk_ins,
};
use super::constituents::routes::{directory, signin};
use super::desk::routes as desk;
use crate::platform::route_table::RouteTable;

/// Registers the busiest reception routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(opinions::submit);
}

/// Registers the reception routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(signin::privacy_notice)
        .add(signin::request_code)
        .add(signin::sign_in)
        .add(directory::page)
        .add(similar::similar)
        .add(threads::mine)
        .add(threads::my_one)
        .add(opinions::withdraw)
        .add(preferences::texts)
        .add(photos::upload)
        .add(photos::download)
        .add(answering::rate)
        .add(handling::list)
        .add(stats::stats)
        .add(threads::one)
        .add(threads::messages)
        .add(threads::post_message)
        .add(walk_ins::file)
        .add(walk_ins::collect)
        .add(desk::day)
        .add(desk::period)
        .add(opinions::follow)
        .add(preferences::unfollow)
        .add(publication::publish)
        .add(handling::phone)
        .add(handling::accept)
        .add(handling::reject)
        .add(handling::assign)
        .add(handling::merge)
        .add(answering::answer)
        .add(answering::forward_request)
        .add(answering::close)
        .add(forwarding::forward)
        .add(forwarding::reply)
        .add(forwarding::request_extension)
        .add(forwarding::decide_extension)
        .add(booking::book)
        .add(booking::mine)
        .add(booking::confirm)
        .add(booking::decline)
        .add(booking::cancel)
        .add(workdays::list)
        .add(workdays::put_day)
        .add(workdays::delete_day);
}
