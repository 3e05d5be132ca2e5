//! Staff routes: write, preview, publish (now or scheduled), retract; the per-notice view with
//! counts, the lists of who has not read or answered, reminders, leave decisions.

pub(in crate::notices) mod attachments;
pub(in crate::notices) mod drafts;
pub(in crate::notices) mod inbox;
pub(in crate::notices) mod receipts;

use crate::platform::route_table::RouteTable;

/// Registers the busiest notices routes (fixed paths only), before every other capability's.
pub fn register_hot<R: RouteTable>(r: &mut R) {
    r.add(inbox::list).add(inbox::unread);
}

/// Registers the notices routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(drafts::create)
        .add(drafts::preview)
        .add(drafts::list)
        .add(drafts::one)
        .add(drafts::publish)
        .add(drafts::retract)
        .add(receipts::recipients)
        .add(receipts::remind)
        .add(receipts::decide_leave)
        .add(attachments::upload)
        .add(attachments::remove)
        .add(attachments::download)
        .add(inbox::one)
        .add(inbox::read)
        .add(inbox::rsvp);
}
