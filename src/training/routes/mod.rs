//! The courses' route table.

mod access;
mod courses;
mod records;
mod study;

use crate::platform::route_table::RouteTable;

/// Registers the courses' routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(courses::create)
        .add(courses::list)
        .add(courses::get)
        .add(study::open)
        .add(study::attempt)
        .add(study::complete)
        .add(records::records);
}
