//! The station's desk: who may act for a station (its staff, congress staff above it), and the
//! station's day in one answer — duty, check-ins, events, bookings, walk-ins.

pub(in crate::reception) mod routes;
pub(in crate::reception) mod scope;
