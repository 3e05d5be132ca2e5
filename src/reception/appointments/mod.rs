//! Appointments: a constituent books a reception with a deputy on duty, both sides are reminded,
//! and the working-day calendar that also counts the cases' deadlines.

pub(in crate::reception) mod reminders;
pub(in crate::reception) mod routes;
pub(in crate::reception) mod station;
