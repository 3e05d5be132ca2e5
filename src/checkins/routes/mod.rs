//! The check-ins route table: every handler of this capability, in the order actix-web tries them.

pub(in crate::checkins) mod activity;
pub(in crate::checkins) mod attendance;
pub(in crate::checkins) mod kiosk;
pub(in crate::checkins) mod meetings;
pub(in crate::checkins) mod roster;
pub(in crate::checkins) mod roster_edits;
pub(in crate::checkins) mod roster_notes;
pub(in crate::checkins) mod sitting_in;
pub(in crate::checkins) mod station_codes;
pub(in crate::checkins) mod stats;
pub(in crate::checkins) mod visits;

use crate::platform::route_table::RouteTable;

/// Registers the busiest checkins routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(visits::create);
}

/// Registers the checkins routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(station_codes::qr)
        .add(station_codes::rotate)
        .add(station_codes::kiosk_key)
        .add(visits::checkout)
        .add(visits::review)
        .add(visits::get_one)
        .add(visits::position)
        .add(visits::mine)
        .add(visits::list)
        .add(sitting_in::next)
        .add(stats::station_month)
        .add(stats::near)
        .add(roster::create_slot)
        .add(roster::signup)
        .add(roster_edits::get_one)
        .add(roster_edits::update)
        .add(roster_edits::cancel)
        .add(roster_notes::withdraw)
        .add(roster_notes::publish)
        .add(roster::duty_board)
        .add(roster::deputy_duty)
        .add(kiosk::page)
        .add(meetings::create)
        .add(meetings::get_one)
        .add(meetings::qr)
        .add(attendance::approve_leave)
        .add(attendance::close)
        .add(activity::create)
        .add(activity::mine);
}
